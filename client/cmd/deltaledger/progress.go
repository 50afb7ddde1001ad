package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// How the hashing meter draws: nothing for data hashed within
// progressDelay (most files), then on a terminal one line redrawn every
// progressTerminalEvery, elsewhere (--progress to a log) a line every
// progressLogEvery.
const (
	progressDelay         = time.Second
	progressTerminalEvery = 200 * time.Millisecond
	progressLogEvery      = 5 * time.Second
)

// showProgress reports whether hashing shows a meter on the standard error:
// --progress says so, or else the standard error is a terminal and the
// output is not asked for as JSON (-o json) by a script.
func (a *app) showProgress() bool {
	if a.flags.Changed("progress") {
		return a.progress
	}
	if a.flags.Changed("output") && a.output == outputJSON {
		return false
	}
	return a.isTerminal(a.stderr)
}

// isTerminalWriter reports whether w is a terminal.
func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// The meter's words, in each language of the catalogue.
var (
	meterHashing = ledgererr.Text{En: "hashing %[1]s: %[2]s", Zh: "正在计算 %[1]s 的哈希：%[2]s"}
	meterOfTotal = ledgererr.Text{En: " of %[1]s (%[2]d%%)", Zh: " / %[1]s（%[2]d%%）"}
	meterRate    = ledgererr.Text{En: ", %[1]s/s", Zh: "，%[1]s/s"}
	meterLeft    = ledgererr.Text{En: ", %[1]s left", Zh: "，剩余 %[1]s"}
	meterDone    = ledgererr.Text{En: "hashed %[1]s: %[2]s in %[3]s (%[4]s/s)", Zh: "已计算 %[1]s 的哈希：%[2]s，用时 %[3]s（%[4]s/s）"}
)

// hashMeter draws how far the hashing of a file has got: size, rate and
// time left.
type hashMeter struct {
	w        io.Writer
	name     string
	terminal bool
	now      func() time.Time
	lang     ledgererr.Language

	start, drawn time.Time
	last         client.HashProgress
}

func newHashMeter(w io.Writer, name string, terminal bool, now func() time.Time, lang ledgererr.Language) *hashMeter {
	return &hashMeter{w: w, name: name, terminal: terminal, now: now, lang: lang, start: now()}
}

// update is a client.WithHashProgress callback.
func (m *hashMeter) update(p client.HashProgress) {
	m.last = p
	now := m.now()
	elapsed := now.Sub(m.start)
	if elapsed < progressDelay {
		return
	}
	every := progressLogEvery
	if m.terminal {
		every = progressTerminalEvery
	}
	if !m.drawn.IsZero() && now.Sub(m.drawn) < every {
		return
	}
	m.drawn = now
	line := fmt.Sprintf(meterHashing.In(m.lang), m.name, formatBytes(p.Done))
	rate := float64(p.Done) / elapsed.Seconds()
	if p.Total > 0 {
		line += fmt.Sprintf(meterOfTotal.In(m.lang), formatBytes(p.Total), p.Done*100/p.Total)
	}
	line += fmt.Sprintf(meterRate.In(m.lang), formatBytes(int64(rate)))
	if p.Total > 0 && rate > 0 {
		left := time.Duration(float64(p.Total-p.Done) / rate * float64(time.Second))
		line += fmt.Sprintf(meterLeft.In(m.lang), left.Round(time.Second))
	}
	m.print(line)
}

// finish ends the meter: a last line with the time taken, if any was drawn.
func (m *hashMeter) finish() {
	if m.drawn.IsZero() {
		return
	}
	elapsed := m.now().Sub(m.start)
	m.print(fmt.Sprintf(meterDone.In(m.lang), m.name, formatBytes(m.last.Done), elapsed.Round(100*time.Millisecond),
		formatBytes(int64(float64(m.last.Done)/elapsed.Seconds()))))
	if m.terminal {
		fmt.Fprintln(m.w)
	}
}

func (m *hashMeter) print(line string) {
	if m.terminal {
		fmt.Fprint(m.w, "\r\x1b[K"+line) // back to the line's start, clear it
		return
	}
	fmt.Fprintln(m.w, line)
}

// formatBytes writes a size in binary units: 512 B, 1.5 MiB, 4.0 GiB.
func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
