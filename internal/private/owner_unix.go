//go:build unix

package private

import (
	"os"
	"syscall"
)

// ownerOf returns the user ID that owns the file of info.
func ownerOf(info os.FileInfo) (int, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}
