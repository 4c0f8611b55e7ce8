package fedtest

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// socketOwner returns which of pids has the IPv4 TCP socket whose local
// address is addr (the remote address of a connection the front
// accepted), or 0: the front tells so which process sent what, when
// several processes share one instance's identity.
func socketOwner(addr string, pids []int) int {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return 0
	}
	ip := net.ParseIP(host).To4()
	p, err := strconv.Atoi(port)
	if ip == nil || err != nil {
		return 0
	}
	// /proc/net/tcp writes the address as the kernel holds it: the IPv4
	// bytes in host (little-endian) order, the port big-endian.
	want := fmt.Sprintf("%02X%02X%02X%02X:%04X", ip[3], ip[2], ip[1], ip[0], p)
	// The kernel writes the table in pieces while sockets come and go, so
	// one reading may miss a line: read again before giving up.
	inode := ""
	for range 5 {
		if inode = socketInode(want); inode != "" {
			break
		}
	}
	if inode == "" {
		return 0
	}
	socket := "socket:[" + inode + "]"
	for _, pid := range pids {
		dir := fmt.Sprintf("/proc/%d/fd", pid)
		fds, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, fd := range fds {
			if link, err := os.Readlink(filepath.Join(dir, fd.Name())); err == nil && link == socket {
				return pid
			}
		}
	}
	return 0
}

// socketInode returns the inode of the socket whose local address is addr
// (as /proc/net/tcp writes it), or "".
func socketInode(addr string) string {
	data, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 9 && f[1] == addr && f[9] != "0" {
			return f[9]
		}
	}
	return ""
}
