package chaos

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var testRegions = []*region{{Key: "shanghai"}, {Key: "jiangsu"}, {Key: "zhejiang"}, {Key: "anhui"}}

func TestScheduleIsDrawnFromTheSeed(t *testing.T) {
	a, b := NewSchedule(7, testRegions), NewSchedule(7, testRegions)
	require.Equal(t, a, b, "the same seed gives the same schedule")
	kinds := map[Kind]bool{}
	for _, f := range a {
		kinds[f.Kind] = true
		require.Contains(t, []string{"shanghai", "jiangsu", "zhejiang", "anhui"}, f.Region)
		require.GreaterOrEqual(t, f.HoldFactor, 0.75)
		require.Less(t, f.HoldFactor, 1.25)
	}
	require.Len(t, kinds, 5, "every kind of fault once: %s", a)
	differs := false
	for seed := uint64(1); seed < 20 && !differs; seed++ {
		differs = NewSchedule(seed, testRegions).String() != a.String()
	}
	require.True(t, differs, "other seeds give other schedules")
}

func TestFaultTargets(t *testing.T) {
	require.Equal(t, "kill -9 orderer-anhui", Fault{Kind: KillOrderer, Region: "anhui"}.String())
	require.Equal(t, "kill -9 chaincode-jiangsu", Fault{Kind: KillChaincode, Region: "jiangsu"}.String())
	require.Equal(t, "isolate zhejiang", Fault{Kind: Isolate, Region: "zhejiang"}.String())
}

func TestCompareFindsGapsAndDuplicates(t *testing.T) {
	gaps, dups := compare([]string{"1-a", "1-b", "2-c", "3-d"}, []string{"1-a", "2-c", "2-c", "3-d"})
	require.Equal(t, 1, gaps)
	require.Equal(t, 1, dups)
	gaps, dups = compare([]string{"1-a", "2-b"}, []string{"1-a", "2-b"})
	require.Zero(t, gaps)
	require.Zero(t, dups)
}

func TestRecoveryIsJudgedAgainstTheBound(t *testing.T) {
	healed := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	rep := &Report{Faults: []Injected{
		{Fault: Fault{Kind: KillPeer, Region: "anhui"}, HealedAt: healed, RecoverySeconds: 4.2},
		{Fault: Fault{Kind: KillOrderer, Region: "shanghai"}, HealedAt: healed, RecoverySeconds: 61},
		{Fault: Fault{Kind: Isolate, Region: "jiangsu"}, HealedAt: healed, RecoverySeconds: -1, Unrecovered: []string{"jiangsu"}},
	}}
	rep.judgeRecovery(time.Minute)
	require.False(t, rep.Valid)
	require.Len(t, rep.Problems, 2)
	require.Contains(t, rep.Problems[0], "kill -9 orderer-shanghai")
	require.Contains(t, rep.Problems[1], "no acknowledgement in jiangsu")

	ok := &Report{Faults: rep.Faults[:1]}
	ok.judgeRecovery(time.Minute)
	require.True(t, ok.Valid)
	b, err := json.Marshal(ok)
	require.NoError(t, err)
	var top map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &top))
	for _, k := range []string{"acknowledged", "lost", "duplicated", "faults", "valid"} {
		require.Contains(t, top, k)
	}
	require.Contains(t, ok.Summary(), "kill -9 peer-anhui")
}
