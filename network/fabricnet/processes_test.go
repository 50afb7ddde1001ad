package fabricnet

import (
	"os"
	"path/filepath"
	"testing"
)

// Processes reads every PID file the scripts wrote, in both forms, and
// names each process's role without its org; a file that is not a PID file
// is an error, not a process.
func TestProcessesReadsThePIDFiles(t *testing.T) {
	cfg := &Config{Root: t.TempDir(), Orgs: []Org{{Key: "shanghai"}, {Key: "anhui"}}}
	write := func(name, line string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(cfg.PIDFile(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(cfg.PIDFile(name), []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("peer-shanghai", "4242 7876627 4fbe5a5d-9b86 /opt/bin/peer\n")
	write("bench-gateway-anhui", "77 12 4fbe5a5d-9b86 /opt/bin/deltaledger-gateway\n")
	write("prometheus", "99 /opt/bin/prometheus\n")

	got, err := cfg.Processes()
	if err != nil {
		t.Fatal(err)
	}
	want := []Process{
		{Name: "bench-gateway-anhui", Role: "bench-gateway", PID: 77, Start: 12},
		{Name: "peer-shanghai", Role: "peer", PID: 4242, Start: 7876627},
		{Name: "prometheus", Role: "prometheus", PID: 99},
	}
	if len(got) != len(want) {
		t.Fatalf("processes = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("process %d = %+v, want %+v", i, got[i], want[i])
		}
	}

	write("peer-anhui", "not-a-pid 1 2 /opt/bin/peer\n")
	if _, err := cfg.Processes(); err == nil {
		t.Error("a PID file without a PID was read as a process")
	}
}

// The serving chaincode service is chaincode-<org> until deploy.sh records
// the other one, and follows each record.
func TestServingChaincodeFollowsTheRecordOfTheLastUpgrade(t *testing.T) {
	cfg := &Config{Root: t.TempDir()}
	o := Org{Key: "shanghai"}
	if got := cfg.ServingChaincode(o); got != "chaincode-shanghai" {
		t.Fatalf("before any upgrade: %q", got)
	}
	record := filepath.Join(filepath.Dir(cfg.PIDFile("x")), "chaincode-shanghai.serving")
	if err := os.MkdirAll(filepath.Dir(record), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, serving := range []string{"chaincode-next-shanghai", "chaincode-shanghai", "chaincode-next-shanghai"} {
		if err := os.WriteFile(record, []byte(serving+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := cfg.ServingChaincode(o); got != serving {
			t.Fatalf("recorded %q, read %q", serving, got)
		}
	}
}
