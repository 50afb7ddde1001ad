package events

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// Writer writes Server-Sent Events.
type Writer struct {
	w *bufio.Writer
}

// NewWriter writes events to w; call Flush to send them.
func NewWriter(w io.Writer) *Writer { return &Writer{w: bufio.NewWriter(w)} }

// Event writes one event. data may hold newlines: each line becomes a data
// field, as the format requires.
func (w *Writer) Event(id, name string, data []byte) error {
	if id != "" {
		w.field("id", id)
	}
	if name != "" {
		w.field("event", name)
	}
	for _, line := range strings.Split(string(data), "\n") {
		w.field("data", line)
	}
	return w.w.WriteByte('\n')
}

// Retry tells the client how long to wait before reconnecting.
func (w *Writer) Retry(ms int) error {
	_, err := w.w.WriteString("retry: " + strconv.Itoa(ms) + "\n\n")
	return err
}

// Comment writes a comment line, which clients ignore (keep-alive).
func (w *Writer) Comment(text string) error {
	_, err := w.w.WriteString(": " + strings.ReplaceAll(text, "\n", " ") + "\n\n")
	return err
}

// Flush sends what was written to the underlying writer.
func (w *Writer) Flush() error { return w.w.Flush() }

func (w *Writer) field(name, value string) {
	value = strings.NewReplacer("\r", "", "\n", "").Replace(value)
	w.w.WriteString(name)
	w.w.WriteString(": ")
	w.w.WriteString(value)
	w.w.WriteByte('\n')
}
