package main

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// clockTicks is USER_HZ, the unit of the CPU times in /proc/stat. It is 100
// on every Linux architecture Go supports.
const clockTicks = 100

// sampleInterval is how often the sampler scans /proc.
const sampleInterval = 25 * time.Millisecond

// statusMemory reads the peak (VmHWM) and current (VmRSS) resident set
// sizes, in KiB, from the text of /proc/PID/status. ok is false when
// neither is present (a kernel thread, or a process that just exited).
func statusMemory(status string) (hwmKiB, rssKiB int64, ok bool) {
	sc := bufio.NewScanner(strings.NewReader(status))
	for sc.Scan() {
		key, value, found := strings.Cut(sc.Text(), ":")
		if !found || (key != "VmHWM" && key != "VmRSS") {
			continue
		}
		fields := strings.Fields(value)
		if len(fields) == 0 {
			continue
		}
		n, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			continue
		}
		if len(fields) > 1 && strings.EqualFold(fields[1], "mB") {
			n *= 1024
		}
		ok = true
		if key == "VmHWM" {
			hwmKiB = n
		} else {
			rssKiB = n
		}
	}
	return hwmKiB, rssKiB, ok
}

// statBusy reads the busy CPU time of the whole machine (user, nice,
// system, irq, softirq and steal; guest time is part of user) from the text
// of /proc/stat.
func statBusy(stat string) (time.Duration, bool) {
	for line := range strings.Lines(stat) {
		fields := strings.Fields(line)
		if len(fields) < 9 || fields[0] != "cpu" {
			continue
		}
		var ticks int64
		for _, i := range []int{1, 2, 3, 6, 7, 8} {
			n, err := strconv.ParseInt(fields[i], 10, 64)
			if err != nil {
				return 0, false
			}
			ticks += n
		}
		return time.Duration(ticks) * time.Second / clockTicks, true
	}
	return 0, false
}

// machineBusy is the busy CPU time of the machine so far, or 0 when
// /proc/stat cannot be read.
func machineBusy() time.Duration {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	busy, _ := statBusy(string(data))
	return busy
}

// procUsage sums what the sampler saw of the processes of one executable.
type procUsage struct {
	// PeakKiB is the largest VmHWM (or VmRSS, where VmHWM is missing) seen
	// in any of the processes.
	PeakKiB int64
	// Processes is the number of distinct processes seen.
	Processes int
}

func (u procUsage) peakMiB() float64 { return float64(u.PeakKiB) / 1024 }

// procSampler watches the processes of a few executables through /proc.
type procSampler struct {
	proc  string   // the proc file system, "/proc"
	paths []string // executables to watch, symlinks resolved

	// unrelated holds the processes seen running something else, so a scan
	// reads only the /proc entries of new and watched processes. A watched
	// process is checked again on every scan: terraform's children run
	// terraform's executable between fork and exec. So are processes
	// running this program (self), which is what terraform runs until its
	// own exec. Only the scan goroutine uses it.
	unrelated map[int]bool
	self      string

	mu   sync.Mutex
	peak map[string]int64
	pids map[string]map[int]bool // path -> pids seen running it
}

func newProcSampler(paths ...string) *procSampler {
	s := &procSampler{proc: "/proc", unrelated: map[int]bool{}, peak: map[string]int64{}, pids: map[string]map[int]bool{}}
	if self, err := os.Executable(); err == nil {
		s.self, _ = filepath.EvalSymlinks(self)
	}
	for _, p := range paths {
		if resolved, err := filepath.EvalSymlinks(p); err == nil {
			p = resolved
		}
		s.paths = append(s.paths, p)
		s.pids[p] = map[int]bool{}
	}
	return s
}

// start samples every interval until the returned function is called; that
// function samples once more and returns the usage per watched path, in the
// order given to newProcSampler.
func (s *procSampler) start(interval time.Duration) (stop func() []procUsage) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			s.scan()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() []procUsage {
		close(done)
		<-finished
		s.scan()
		return s.usage()
	}
}

func (s *procSampler) usage() []procUsage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]procUsage, len(s.paths))
	for i, p := range s.paths {
		out[i] = procUsage{PeakKiB: s.peak[p], Processes: len(s.pids[p])}
	}
	return out
}

// scan samples every watched process once. Processes that vanish mid-read
// are skipped; their last sample stands.
func (s *procSampler) scan() {
	f, err := os.Open(s.proc)
	if err != nil {
		return
	}
	names, _ := f.Readdirnames(-1)
	_ = f.Close()
	alive := make(map[int]bool, len(names))
	for _, name := range names {
		pid, err := strconv.Atoi(name)
		if err != nil || pid <= 0 {
			continue
		}
		alive[pid] = true
		if s.unrelated[pid] {
			continue
		}
		dir := filepath.Join(s.proc, name)
		exe, err := os.Readlink(filepath.Join(dir, "exe"))
		if err != nil {
			// A kernel thread, another user's process, or one that has
			// exited: none is a process to watch.
			s.unrelated[pid] = true
			continue
		}
		if i := slices.Index(s.paths, exe); i >= 0 {
			s.sample(s.paths[i], pid, dir)
		} else if exe != s.self {
			s.unrelated[pid] = true
		}
	}
	// A pid that was reused belongs to a new process.
	for pid := range s.unrelated {
		if !alive[pid] {
			delete(s.unrelated, pid)
		}
	}
}

func (s *procSampler) sample(path string, pid int, dir string) {
	status, err := os.ReadFile(filepath.Join(dir, "status"))
	if err != nil {
		return
	}
	hwm, rss, ok := statusMemory(string(status))
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.peak[path] = max(s.peak[path], hwm, rss)
	s.pids[path][pid] = true
}
