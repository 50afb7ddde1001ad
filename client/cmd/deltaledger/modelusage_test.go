package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

// TestFlagsSayTheModelsBoundsAndValues checks that the help of the flags
// whose bounds and values are the market's says the model's, in English
// and in Chinese: a limit or enumeration changed in package model changes
// the help with it.
func TestFlagsSayTheModelsBoundsAndValues(t *testing.T) {
	a := newApp(strings.NewReader(""), nil, nil, func(string) string { return "" })
	usage := func(path ...string) string {
		cmd, _, err := a.commandTree().Find(path[:len(path)-1])
		require.NoError(t, err)
		var f *pflag.Flag
		for c := cmd; f == nil && c != nil; c = parent(c) {
			f = c.Flags().Lookup(path[len(path)-1])
		}
		require.NotNil(t, f, "%v", path)
		return f.Usage
	}
	n := strconv.Itoa
	for _, c := range []struct {
		path []string
		want []string
	}{
		{[]string{"credit", "stage", "summary"}, []string{n(model.MaxCreditSummaryLength)}},
		{[]string{"credit", "stage", "score"}, []string{n(model.MaxCreditScore)}},
		{[]string{"credit", "stage", "type"}, model.RecordTypes},
		{[]string{"credit", "answer-objection", "outcome"}, model.Answers},
		{[]string{"trades", "resolve", "outcome"}, []string{model.OutcomeComplete, model.OutcomeRefund}},
		{[]string{"trades", "order", "salt"}, []string{n(model.MinSaltLength), n(model.MaxSaltLength)}},
		{[]string{"participants", "list", "page-size"}, []string{n(model.MaxPageSize), n(model.DefaultPageSize)}},
	} {
		en := usage(c.path...)
		zh, ok := helpInChinese[en]
		require.True(t, ok, "%v: %q has no Chinese", c.path, en)
		for _, w := range c.want {
			assert.Contains(t, en, w, "%v", c.path)
			assert.Contains(t, zh, w, "%v", c.path)
		}
	}
}

func parent(c *cobra.Command) *cobra.Command {
	if c.HasParent() {
		return c.Parent()
	}
	return nil
}
