package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

const sampleStatus = `Name:	terraform-provi
Umask:	0022
State:	S (sleeping)
Pid:	4242
VmPeak:	 1300000 kB
VmSize:	 1290000 kB
VmHWM:	   41234 kB
VmRSS:	   39000 kB
RssAnon:	   20000 kB
Threads:	9
`

func TestStatusMemory(t *testing.T) {
	for _, tc := range []struct {
		name     string
		status   string
		hwm, rss int64
		ok       bool
	}{
		{"both", sampleStatus, 41234, 39000, true},
		{"no VmHWM", "Name:\tx\nVmRSS:\t  1200 kB\n", 0, 1200, true},
		{"kernel thread", "Name:\tkthreadd\nState:\tS (sleeping)\nThreads:\t1\n", 0, 0, false},
		{"garbage value", "VmHWM:\tlots kB\nVmRSS:\n", 0, 0, false},
		{"empty", "", 0, 0, false},
	} {
		hwm, rss, ok := statusMemory(tc.status)
		if hwm != tc.hwm || rss != tc.rss || ok != tc.ok {
			t.Errorf("%s: statusMemory = %d, %d, %v; want %d, %d, %v", tc.name, hwm, rss, ok, tc.hwm, tc.rss, tc.ok)
		}
	}
}

func TestProcUsageUnits(t *testing.T) {
	if u := (procUsage{PeakKiB: 61440}); u.peakMiB() != 60 {
		t.Errorf("peakMiB = %v", u.peakMiB())
	}
}

// The sampler finds this test process by its executable.
func TestProcSamplerSeesOwnProcess(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	s := newProcSampler(exe, "/nonexistent/terraform")
	stop := s.start(5 * time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	usage := stop()
	if len(usage) != 2 {
		t.Fatalf("usage has %d entries, want 2", len(usage))
	}
	if usage[0].Processes < 1 || usage[0].PeakKiB <= 0 {
		t.Errorf("own process not sampled: %+v", usage[0])
	}
	if usage[1] != (procUsage{}) {
		t.Errorf("a nonexistent executable was sampled: %+v", usage[1])
	}
}

// fakeProc is a /proc tree with processes whose exe links, status and stat
// files the test controls.
type fakeProc struct {
	t   *testing.T
	dir string
}

func (f fakeProc) set(pid int, exe string, hwmKiB int64) {
	f.t.Helper()
	dir := filepath.Join(f.dir, strconv.Itoa(pid))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		f.t.Fatal(err)
	}
	_ = os.Remove(filepath.Join(dir, "exe"))
	if err := os.Symlink(exe, filepath.Join(dir, "exe")); err != nil {
		f.t.Fatal(err)
	}
	status := fmt.Sprintf("Name:\tx\nVmHWM:\t%d kB\nVmRSS:\t%d kB\n", hwmKiB, hwmKiB/2)
	if err := os.WriteFile(filepath.Join(dir, "status"), []byte(status), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

func (f fakeProc) kill(pid int) {
	if err := os.RemoveAll(filepath.Join(f.dir, strconv.Itoa(pid))); err != nil {
		f.t.Fatal(err)
	}
}

func TestProcSamplerScan(t *testing.T) {
	const provider, tf = "/bench/bin/terraform-provider-agilicus", "/usr/bin/terraform"
	fp := fakeProc{t: t, dir: t.TempDir()}
	s := newProcSampler(provider, tf)
	s.proc = fp.dir

	fp.set(10, tf, 70000)       // terraform
	fp.set(11, tf, 70000)       // its child between fork and exec
	fp.set(12, "/bin/bash", 10) // something else
	// A kernel thread: no exe link.
	if err := os.MkdirAll(filepath.Join(fp.dir, "2"), 0o755); err != nil {
		t.Fatal(err)
	}
	s.scan()
	if !s.unrelated[12] || !s.unrelated[2] || s.unrelated[10] || s.unrelated[11] {
		t.Fatalf("unrelated = %v, want pids 2 and 12", s.unrelated)
	}

	fp.set(11, provider, 30720) // the child execs the provider
	fp.set(12, provider, 99999) // an unrelated process is not looked at again
	s.scan()
	fp.set(11, provider, 40960) // the provider grows, then exits
	s.scan()
	fp.kill(11)
	fp.kill(12)
	fp.kill(2)
	s.scan()
	if len(s.unrelated) != 0 {
		t.Errorf("unrelated = %v after the processes exited, want empty", s.unrelated)
	}

	got := s.usage()
	if want := (procUsage{PeakKiB: 40960, Processes: 1}); got[0] != want {
		t.Errorf("provider usage = %+v, want %+v", got[0], want)
	}
	// pid 11 counted as terraform until its exec.
	if want := (procUsage{PeakKiB: 70000, Processes: 2}); got[1] != want {
		t.Errorf("terraform usage = %+v, want %+v", got[1], want)
	}
}

func TestStatBusy(t *testing.T) {
	stat := "cpu  1000 50 300 90000 200 10 20 5 0 0\ncpu0 500 25 150 45000 100 5 10 2 0 0\nintr 1 2 3\n"
	// user + nice + system + irq + softirq + steal, in 1/100 s.
	if got, ok := statBusy(stat); !ok || got != 13850*time.Millisecond {
		t.Errorf("statBusy = %v, %v; want 13.85s", got, ok)
	}
	for _, bad := range []string{"", "cpu0 1 2 3 4 5 6 7 8\n", "cpu  1 2 x 4 5 6 7 8 9\n", "cpu  1 2 3\n"} {
		if _, ok := statBusy(bad); ok {
			t.Errorf("statBusy(%q) ok", bad)
		}
	}
}
