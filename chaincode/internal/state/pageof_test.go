package state

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

func TestPageOfKeepsItemsAndBookmark(t *testing.T) {
	items := []*model.Trace{{TraceID: "t1"}, {TraceID: "t2"}}
	p, err := PageOf[model.TracePage](items, "next", nil)
	require.NoError(t, err)
	assert.Equal(t, items, p.Items)
	assert.Equal(t, "next", p.Bookmark)
}

func TestPageOfReturnsTheReadsErrorAndNoPage(t *testing.T) {
	errRead := errors.New("read failed")
	p, err := PageOf[model.TracePage]([]*model.Trace{{TraceID: "t1"}}, "next", errRead)
	assert.ErrorIs(t, err, errRead)
	assert.Nil(t, p, "a failed read is no page")
}
