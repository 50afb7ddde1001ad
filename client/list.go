package client

import (
	"context"
	"iter"
	"net/url"
	"strconv"
)

// ListOption changes how a list is read.
type ListOption func(*listSettings)

type listSettings struct {
	pageSize int
	cursor   string
	track    *string
}

// PageSize asks the gateway for pages of n items (1 to model.MaxPageSize;
// the gateway's default is model.DefaultPageSize). It changes the number of requests, not the items the
// iterator yields.
func PageSize(n int) ListOption { return func(s *listSettings) { s.pageSize = n } }

// FromCursor starts the list at the page a previous next cursor names (see
// TrackCursor) instead of at the beginning.
func FromCursor(cursor string) ListOption { return func(s *listSettings) { s.cursor = cursor } }

// TrackCursor stores in *next, after each page is read, the cursor of the
// page after it ("" after the last page). A caller that shows one page at a
// time reads PageSize(n) items, stops, and keeps *next for FromCursor:
//
//	var next string
//	for l, err := range c.Listings().ByCategory(ctx, "transport", client.PageSize(20),
//		client.FromCursor(cursor), client.TrackCursor(&next)) {
//		... // stop after 20
//	}
func TrackCursor(next *string) ListOption { return func(s *listSettings) { s.track = next } }

// Page is one page of a list as the gateway answers it: {items,
// next_cursor}.
type Page[T any] struct {
	// Items are the page's records.
	Items []T `json:"items"`
	// NextCursor reads the next page; "" on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// list iterates over every item of a paginated list operation.
func list[T any](ctx context.Context, c *Client, path string, query url.Values, opts []ListOption) iter.Seq2[T, error] {
	var s listSettings
	for _, o := range opts {
		o(&s)
	}
	return func(yield func(T, error) bool) {
		cursor := s.cursor
		for {
			q := url.Values{}
			for k, vs := range query {
				q[k] = vs
			}
			if s.pageSize > 0 {
				q.Set("limit", strconv.Itoa(s.pageSize))
			}
			if cursor != "" {
				q.Set("cursor", cursor)
			}
			var page Page[T]
			if err := c.get(ctx, path, q, &page); err != nil {
				var zero T
				yield(zero, err)
				return
			}
			if s.track != nil {
				*s.track = page.NextCursor
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
			if page.NextCursor == "" || page.NextCursor == cursor {
				return
			}
			cursor = page.NextCursor
		}
	}
}

// listAt is list for a path with variable segments: a bad path is the
// iterator's only item, as an error.
func listAt[T any](ctx context.Context, c *Client, pattern string, segments []segment, query url.Values, opts []ListOption) iter.Seq2[T, error] {
	path, err := pathf(pattern, segments...)
	if err != nil {
		return errSeq[T](err)
	}
	return list[T](ctx, c, path, query, opts)
}

// errSeq is an iterator whose only item is an error.
func errSeq[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// Collect reads every item of a list into a slice; it stops at the first
// error, returning the items read before it.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for item, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, item)
	}
	return out, nil
}
