package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// clockTick is the unit of utime and stime in /proc/<pid>/stat (USER_HZ):
// 100 per second on every Linux architecture Go supports.
const clockTick = 10 * time.Millisecond

// procStat is what /proc says of a process at one moment.
type procStat struct {
	CPU      time.Duration // user + system time since it started
	RSS, HWM int64         // resident and peak resident memory, in bytes
}

// readProc reads pid's CPU time and memory from /proc.
func readProc(pid int) (procStat, error) {
	var p procStat
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return p, err
	}
	// The command name (field 2) may hold spaces: count from its ')'.
	end := bytes.LastIndexByte(stat, ')')
	if end < 0 {
		return p, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	fields := strings.Fields(string(stat[end+1:]))
	// fields[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(fields) < 13 {
		return p, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields))
	}
	for _, f := range fields[11:13] {
		ticks, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return p, fmt.Errorf("/proc/%d/stat: %w", pid, err)
		}
		p.CPU += time.Duration(ticks) * clockTick
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return p, err
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(value), "kB")), 10, 64)
		if err != nil {
			return p, fmt.Errorf("/proc/%d/status %s: %w", pid, name, err)
		}
		if name == "VmRSS" {
			p.RSS = kb << 10
		} else {
			p.HWM = kb << 10
		}
	}
	return p, nil
}

// serverWatch reports a server process's CPU time over a span, and the
// most resident memory it was seen using (sampled every 100 ms); it does
// nothing when pid is 0. Call stop when done.
type serverWatch struct {
	pid   int
	start procStat
	self  procStat // holon-load's own, which shares the machine
	began time.Time

	mu      sync.Mutex
	maxRSS  int64
	stopped chan struct{}
}

func watchServer(pid int) (*serverWatch, error) {
	w := &serverWatch{pid: pid, began: time.Now(), stopped: make(chan struct{})}
	var err error
	if w.self, err = readProc(os.Getpid()); err != nil {
		return nil, err
	}
	if pid == 0 {
		return w, nil
	}
	if w.start, err = readProc(pid); err != nil {
		return nil, err
	}
	w.maxRSS = w.start.RSS
	go func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-w.stopped:
				return
			case <-tick.C:
			}
			if p, err := readProc(pid); err == nil {
				w.mu.Lock()
				w.maxRSS = max(w.maxRSS, p.RSS)
				w.mu.Unlock()
			}
		}
	}()
	return w, nil
}

func (w *serverWatch) stop() {
	select {
	case <-w.stopped:
	default:
		close(w.stopped)
	}
}

// line says how much CPU the server used since the watch began, and its
// memory: now, the most seen since the watch began, and its peak ever; then
// how much CPU holon-load itself used meanwhile, on the same machine.
func (w *serverWatch) line() string {
	wall := time.Since(w.began)
	self := "holon-load itself: unknown CPU"
	if p, err := readProc(os.Getpid()); err == nil {
		self = fmt.Sprintf("holon-load itself: CPU %.2f s", (p.CPU - w.self.CPU).Seconds())
	}
	if w.pid == 0 {
		return "server: pass -pid to see its CPU time and memory; " + self
	}
	now, err := readProc(w.pid)
	if err != nil {
		return "server: " + err.Error()
	}
	cpu := now.CPU - w.start.CPU
	w.mu.Lock()
	seen := max(w.maxRSS, now.RSS)
	w.mu.Unlock()
	return fmt.Sprintf("server (pid %d): CPU %.2f s over %.2f s (%.0f%% of one core); RSS now %s, most seen during %s, peak since start (VmHWM) %s; %s",
		w.pid, cpu.Seconds(), wall.Seconds(), 100*cpu.Seconds()/wall.Seconds(), mib(now.RSS), mib(seen), mib(now.HWM), self)
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
