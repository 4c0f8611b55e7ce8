// Package testkeys makes actors' keys cheaper in tests (membership.Policy's
// NewKeyPair): a fresh 2048-bit RSA key costs a tenth of a CPU second, and
// the test suites create thousands of actors.
//
//   - Pair hands out one ready-made pair, for tests of rules that never
//     sign: actors sharing a key could pass for each other, so never use it
//     where signatures are checked.
//   - Small makes a distinct 1,024-bit pair each time, for tests where
//     instances sign and verify: every actor keeps a key of its own, so a
//     signature by the wrong key still fails, at an eighth of the cost.
//     Production keys are 2,048 bits (membership.KeyBits).
package testkeys

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
)

// Small returns a new 1,024-bit RSA key pair as PEM, in the formats of
// membership.GenerateKeyPair.
func Small() (privatePEM, publicPEM string, err error) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		return "", "", fmt.Errorf("generate test key: %w", err)
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", err
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return "", "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privDER})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})), nil
}

// Pair returns the shared key pair, as membership.GenerateKeyPair would.
func Pair() (privatePEM, publicPEM string, err error) { return sharedPrivate, sharedPublic, nil }

const sharedPrivate = `-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCwZE3Clx+81N2w
LGMMRBMO7Ngx2gjodTamKIsGz2DwT7hCvzyWpxXIH+/N70/61BFtI3d8zQ3EDchH
1E0Xw7JxfkDawu2HDghtMVWtO6qcxk16oComMrjOfLijgfXNh8qxKtk8887gS9wX
sr5chXoRTCQKaOTY3X+LsNNO6UTkUXtu7oo3jMlYn05bAhEHsqhyPxqd1ZGLozMe
chNWtOu3eRIYUMckH5Sa4jF68a4MdcFHaNVB7/M4PMlQINZLyaThJYCxWKWsA5Bx
70LJ1bWH2RT9b72PlTfrA5owkeVT3aZxHTml88v4OaUgH3wvTDJWRzV6swiZTV01
h8AFSBz5AgMBAAECggEADEzDlFmukPUPTAPdre2y84Pl88dLqY6qLnjIxa3hHq4R
v/ZvA+VSR5fHLxxsfrsvcjq6erAfcTKcgDpoXCDIDmcaoCE0EspnzC9tapdCHM0C
JZZ0t0sAUoZlZ0y+ZmQn6OXp6zi9Y1a+2e3bnX7W5c0Mp/zWVQilpnNrL1yPnSkI
wTudcvPel3jsaLPDN4l9+acLVsmHpqcdUm0JSEHLX3kXE/r32ExoNIFX6XJli+j/
jzbUifS1nwuo0eG5ED5iCbVppguOahUPR97FeM1T13kptv9+5EA+WWYYkcjszKZg
7wuqFjk9A07YGcD992tuqTcGAzjab4iirfQBmRGU1QKBgQDQIIVc+L+EzV6Lqh8G
5LuQl/5YnzxLgcgKh4T7t8dGWA/iJIZjMtT7L5+gdHddWGOIp8OhyVd6e8EGqNdn
4r+IZBJupKujMhSs6l7TGzl1jbXvmOPuksz3KzECJFJsRXL0u8fTJu1lVTK66CVg
HtzXYm2jExjXM8fb/gZS2ayNBQKBgQDY9xELc/k8Mlwsmdgk054Eszr0p2/DPS/W
LesDORUTZGFDMzcIu+8DcsOHzHU+9gVpz1se/VdGlw6CKOp+BwAwh1tOGCq0GT8j
acv5YExgy+OZ5vuZhclhtoDXYiqqpuAOwTMI8TNXsPg5eYcJBKdGozg1BaW+G4DH
JXULIjuyZQKBgAseQaGW1DxW8D8Lxn6Kx45Q4FCBqSnrc/FEDhGYXrfeSnLtOpSg
CYqln6RltF6zMxYAyE2jQN4VMFmXuXIeRdcWaXmpqFWefkZCevBSGv6xpE95XmvH
QdXOY97Wa+TGzP5P7bvU74ejRoN/lUeOPoPvCSZWBdSxOnMBHftdD3+1AoGAUpQ2
+JT7l93TF2a2zc19p2xQVC4ma7kuK+buPBvN2cOrAVjM6ZYeMsHLijRXq88X4F37
4J+sSEHWU9Qe7Djd6ZqbNe4c0s+JKIFsEU6Fw5HW3wz7VkOFkptUDqZedvVs8jC2
rACh+g5xa+7FZrlOsaQOEKBFpUXyjdnD4qj078ECgYARq8+/Cqb1DJmIFe/nD0vX
Vd7KC1Gzk75BYkqohJZCrsRDx//O1EqQ2wB9YDq0E+pmZWmiHkLbuNcwCAaG+h2H
wJYk1xIUIgfK4cYens5wwE5bwNYl+VzQPnRRy+AVIsB53I1ayV1KoUuRTZefIySt
JAyl+9gwAlGzL7uwZQFJuw==
-----END PRIVATE KEY-----
`

const sharedPublic = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsGRNwpcfvNTdsCxjDEQT
DuzYMdoI6HU2piiLBs9g8E+4Qr88lqcVyB/vze9P+tQRbSN3fM0NxA3IR9RNF8Oy
cX5A2sLthw4IbTFVrTuqnMZNeqAqJjK4zny4o4H1zYfKsSrZPPPO4EvcF7K+XIV6
EUwkCmjk2N1/i7DTTulE5FF7bu6KN4zJWJ9OWwIRB7Kocj8andWRi6MzHnITVrTr
t3kSGFDHJB+UmuIxevGuDHXBR2jVQe/zODzJUCDWS8mk4SWAsVilrAOQce9CydW1
h9kU/W+9j5U36wOaMJHlU92mcR05pfPL+DmlIB98L0wyVkc1erMImU1dNYfABUgc
+QIDAQAB
-----END PUBLIC KEY-----
`
