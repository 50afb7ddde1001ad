package memo

import (
	"errors"
	"testing"
)

func TestGetMakesOncePerKey(t *testing.T) {
	cache := map[string]int{}
	made := 0
	next := func() (int, error) { made++; return made * 10, nil }
	for _, c := range []struct {
		key  string
		want int
	}{{"a", 10}, {"a", 10}, {"b", 20}, {"a", 10}} {
		if got, err := Get(cache, c.key, next); err != nil || got != c.want {
			t.Fatalf("Get(%q) = %d, %v; want %d, nil", c.key, got, err, c.want)
		}
	}
	if made != 2 {
		t.Fatalf("made %d values for two keys, want 2", made)
	}
}

func TestGetKeepsNothingAfterAFailure(t *testing.T) {
	cache := map[string]int{}
	failed := errors.New("unreachable")
	if _, err := Get(cache, "a", func() (int, error) { return 0, failed }); !errors.Is(err, failed) {
		t.Fatalf("Get = %v, want create's error", err)
	}
	if _, ok := cache["a"]; ok {
		t.Fatal("a failed create was kept")
	}
	if got, err := Get(cache, "a", func() (int, error) { return 7, nil }); err != nil || got != 7 {
		t.Fatalf("Get after a failure = %d, %v; want 7, nil (made again)", got, err)
	}
}
