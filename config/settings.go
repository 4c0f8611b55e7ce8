package config

import (
	"encoding"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// setting is one key of the configuration, found by walking the toml tags of
// Config, so that the environment variables and the tests need no list of
// their own.
type setting struct {
	section, key string
	value        reflect.Value // addressable field inside the walked Config
}

// name is the key as written in messages: "server.listen".
func (s setting) name() string { return s.section + "." + s.key }

// envName is the environment variable that sets the key: HOLON_SERVER_LISTEN.
func (s setting) envName() string {
	return envPrefix + strings.ToUpper(s.section) + "_" + strings.ToUpper(s.key)
}

// settings lists the keys of c in declaration order, each pointing into c.
func settings(c *Config) ([]setting, error) {
	var out []setting
	root := reflect.ValueOf(c).Elem()
	for i := range root.NumField() {
		section, err := tomlName(root.Type().Field(i))
		if err != nil {
			return nil, err
		}
		sv := root.Field(i)
		if sv.Kind() != reflect.Struct {
			return nil, fmt.Errorf("config section %s is a %s, not a struct", section, sv.Kind())
		}
		for j := range sv.NumField() {
			key, err := tomlName(sv.Type().Field(j))
			if err != nil {
				return nil, err
			}
			s := setting{section: section, key: key, value: sv.Field(j)}
			if !settable(s.value) {
				return nil, fmt.Errorf("config key %s has unsupported type %s", s.name(), s.value.Type())
			}
			out = append(out, s)
		}
	}
	return out, nil
}

func tomlName(f reflect.StructField) (string, error) {
	name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	if name == "" || name == "-" {
		return "", fmt.Errorf("config field %s has no toml tag", f.Name)
	}
	return name, nil
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

func settable(v reflect.Value) bool {
	if v.Addr().Type().Implements(textUnmarshaler) {
		return true
	}
	switch v.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int64:
		return true
	}
	return false
}

// set parses text into the setting's field as the file would.
func (s setting) set(text string) error {
	v := s.value
	if u, ok := v.Addr().Interface().(encoding.TextUnmarshaler); ok {
		return u.UnmarshalText([]byte(text))
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(text)
	case reflect.Bool:
		b, err := strconv.ParseBool(text)
		if err != nil {
			return fmt.Errorf("%q is not a boolean (true or false)", text)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(text, 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("%q is not an integer", text)
		}
		v.SetInt(n)
	default:
		return fmt.Errorf("unsupported type %s", v.Type())
	}
	return nil
}
