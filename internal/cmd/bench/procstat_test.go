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

func TestStatCPUTicks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stat  string
		ticks int64
		ok    bool
	}{
		{"plain", "4242 (terraform-provi) S 4200 4242 4200 0 -1 4194560 1000 0 0 0 150 25 0 0 20 0 9 0 12345 1300000000 9750", 175, true},
		{"comm with spaces and parentheses", "7 (a) b (c) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 1 1 1", 7, true},
		{"truncated", "7 (a) R 1 7", 0, false},
		{"no comm", "garbage", 0, false},
		{"not numbers", "7 (a) R 1 7 7 0 -1 0 0 0 0 0 x y 0", 0, false},
	} {
		ticks, ok := statCPUTicks(tc.stat)
		if ticks != tc.ticks || ok != tc.ok {
			t.Errorf("%s: statCPUTicks = %d, %v; want %d, %v", tc.name, ticks, ok, tc.ticks, tc.ok)
		}
	}
}

func TestProcessIs(t *testing.T) {
	const path = "/tmp/agilicus-bench-1/bin/terraform-provider-agilicus"
	for _, tc := range []struct {
		exe, comm string
		want      bool
	}{
		{path, "", true},
		{"/other/bin/terraform-provider-agilicus", "", false}, // another run's provider
		{"/usr/bin/terraform", "", false},
		{"", "terraform-provi", true}, // exe unreadable: comm keeps 15 characters
		{"", "terraform", false},
		{"", "", false},
	} {
		if got := processIs(tc.exe, tc.comm, path); got != tc.want {
			t.Errorf("processIs(%q, %q) = %v, want %v", tc.exe, tc.comm, got, tc.want)
		}
	}
}

func TestProcUsageUnits(t *testing.T) {
	u := procUsage{PeakKiB: 61440, CPUTicks: 250}
	if u.peakMiB() != 60 || u.cpu() != 2500*time.Millisecond {
		t.Errorf("peakMiB = %v, cpu = %v", u.peakMiB(), u.cpu())
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

func (f fakeProc) set(pid int, exe string, hwmKiB, ticks int64) {
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
	stat := fmt.Sprintf("%d (x) S 1 1 1 0 -1 0 0 0 0 0 %d 0 0 0 20 0 1 0 1 1 1", pid, ticks)
	for name, text := range map[string]string{"status": status, "stat": stat} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			f.t.Fatal(err)
		}
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

	fp.set(10, tf, 70000, 100)     // terraform
	fp.set(11, tf, 70000, 0)       // its child between fork and exec
	fp.set(12, "/bin/bash", 10, 5) // something else
	s.scan()
	if !s.unrelated[12] || s.unrelated[10] || s.unrelated[11] {
		t.Fatalf("unrelated = %v, want only pid 12", s.unrelated)
	}

	fp.set(11, provider, 30720, 40) // the child execs the provider
	fp.set(12, provider, 99999, 1)  // an unrelated process is not looked at again
	s.scan()
	fp.set(11, provider, 40960, 60) // the provider grows, then exits
	s.scan()
	fp.kill(11)
	fp.kill(12)
	s.scan()
	if len(s.unrelated) != 0 {
		t.Errorf("unrelated = %v after the processes exited, want empty", s.unrelated)
	}

	got := s.usage()
	if want := (procUsage{PeakKiB: 40960, Processes: 1, CPUTicks: 60}); got[0] != want {
		t.Errorf("provider usage = %+v, want %+v", got[0], want)
	}
	// pid 11 counted as terraform until its exec, with the CPU it had then.
	if want := (procUsage{PeakKiB: 70000, Processes: 2, CPUTicks: 100}); got[1] != want {
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
