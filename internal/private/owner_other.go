//go:build !unix

package private

import "os"

// ownerOf reports no owner where files have no Unix user ID: Check then goes by the mode alone.
func ownerOf(os.FileInfo) (int, bool) { return 0, false }
