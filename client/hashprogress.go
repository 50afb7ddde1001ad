package client

import "io"

// hashChunk is how much a hash reads at a time, and so how often it reports
// progress: often enough for a meter, rarely enough to cost nothing.
const hashChunk = 1 << 20

// HashProgress is how far the hashing of some data has got.
type HashProgress struct {
	// Done is the number of bytes hashed so far.
	Done int64
	// Total is the size of the data, or 0 when it is not known (a pipe).
	Total int64
}

// HashOption configures SHA256Reader and SHA256File.
type HashOption func(*hashSettings)

type hashSettings struct {
	progress func(HashProgress)
	total    int64
}

// WithHashProgress has report called after each chunk (1 MiB) the hash
// reads, from the goroutine that hashes: a multi-gigabyte file takes a
// while, and a command-line tool wants to show how far it is. report should
// return quickly.
func WithHashProgress(report func(HashProgress)) HashOption {
	return func(s *hashSettings) { s.progress = report }
}

// WithHashTotal tells SHA256Reader how many bytes to expect, for
// HashProgress.Total. SHA256File knows it from the file (an option given
// to it wins).
func WithHashTotal(size int64) HashOption {
	return func(s *hashSettings) { s.total = size }
}

// progressWriter counts what passes through it into a hash.
type progressWriter struct {
	w      io.Writer
	report func(HashProgress)
	p      HashProgress
}

func (pw *progressWriter) Write(b []byte) (int, error) {
	n, err := pw.w.Write(b)
	pw.p.Done += int64(n)
	pw.report(pw.p)
	return n, err
}
