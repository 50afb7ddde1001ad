package idempotency_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/idempotency"
)

func TestFirstRequestGetsATicketAndRetriesGetTheOutcome(t *testing.T) {
	s := idempotency.New(time.Hour)
	ctx := context.Background()
	o, ticket, err := s.Begin(ctx, "k", "fp")
	require.NoError(t, err)
	require.Nil(t, o)
	require.NotNil(t, ticket)
	require.NoError(t, ticket.Complete(idempotency.Outcome{Fingerprint: "fp", Status: 201, Body: []byte(`{"a":1}`)}))

	o, ticket, err = s.Begin(ctx, "k", "fp")
	require.NoError(t, err)
	require.Nil(t, ticket)
	assert.Equal(t, 201, o.Status)
	assert.JSONEq(t, `{"a":1}`, string(o.Body))

	_, _, err = s.Begin(ctx, "k", "other")
	assert.ErrorIs(t, err, idempotency.ErrKeyReused)
}

func TestAbandonLetsARetryRun(t *testing.T) {
	s := idempotency.New(time.Hour)
	_, ticket, _ := s.Begin(context.Background(), "k", "fp")
	ticket.Abandon()
	o, ticket, err := s.Begin(context.Background(), "k", "fp")
	require.NoError(t, err)
	assert.Nil(t, o)
	assert.NotNil(t, ticket)
}

func TestDuplicatesWaitForTheRunningRequest(t *testing.T) {
	s := idempotency.New(time.Hour)
	_, ticket, _ := s.Begin(context.Background(), "k", "fp")
	var wg sync.WaitGroup
	outcomes := make([]*idempotency.Outcome, 3)
	for i := range outcomes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, tk, err := s.Begin(context.Background(), "k", "fp")
			assert.NoError(t, err)
			assert.Nil(t, tk)
			outcomes[i] = o
		}()
	}
	time.Sleep(50 * time.Millisecond)
	require.NoError(t, ticket.Complete(idempotency.Outcome{Fingerprint: "fp", Status: 200, Body: []byte(`1`)}))
	wg.Wait()
	for _, o := range outcomes {
		require.NotNil(t, o)
		assert.Equal(t, 200, o.Status)
	}
}

func TestWaitingDuplicateGivesUpWithItsContext(t *testing.T) {
	s := idempotency.New(time.Hour)
	_, _, _ = s.Begin(context.Background(), "k", "fp")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, _, err := s.Begin(ctx, "k", "fp")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestOutcomesExpire(t *testing.T) {
	now := time.Now()
	s := idempotency.New(time.Minute, idempotency.WithClock(func() time.Time { return now }))
	_, ticket, _ := s.Begin(context.Background(), "k", "fp")
	require.NoError(t, ticket.Complete(idempotency.Outcome{Fingerprint: "fp", Status: 200}))
	now = now.Add(2 * time.Minute)
	o, ticket, err := s.Begin(context.Background(), "k", "fp")
	require.NoError(t, err)
	assert.Nil(t, o)
	assert.NotNil(t, ticket)
	s.Sweep()
}

func TestFileStoreSurvivesARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "idem.jsonl")
	s, err := idempotency.Open(path, time.Hour)
	require.NoError(t, err)
	_, ticket, _ := s.Begin(context.Background(), "k", "fp")
	require.NoError(t, ticket.Complete(idempotency.Outcome{Fingerprint: "fp", Status: 504, Pending: true, TransactionID: "tx"}))
	require.NoError(t, s.Update("k", idempotency.Outcome{Fingerprint: "fp", Status: 200, TransactionID: "tx", Body: []byte(`{}`)}))
	require.NoError(t, s.Close())

	s2, err := idempotency.Open(path, time.Hour)
	require.NoError(t, err)
	defer s2.Close()
	o, ticket, err := s2.Begin(context.Background(), "k", "fp")
	require.NoError(t, err)
	require.Nil(t, ticket)
	assert.Equal(t, 200, o.Status, "the latest outcome wins")
	assert.False(t, o.Pending)
}
