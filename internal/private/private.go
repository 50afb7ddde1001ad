// Package private checks that a file or folder is the user's own: that no other user of the machine could change
// it. A member's MSP folder holds its key and certificate, and its CLI profile names the library the CLI loads for a
// token, the key and the gateway: whoever could rewrite them could run code as the member, take its signatures or
// swap its identity for their own. The SDK and the CLI check them before they write or read them.
package private

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Check refuses the file or folder path when another user of the machine could change it: one that user owns, or one
// its group or other users may write. root's are allowed, as a system-wide profile would be.
func Check(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if err := checkOwner(path, info); err != nil {
		return err
	}
	if info.Mode().Perm()&0o022 != 0 {
		return ledgererr.Messagef("%s may be written by other users (mode %s); chmod go-w it", path, fmt.Sprintf("%04o", info.Mode().Perm()))
	}
	return nil
}

// OthersMayRead reports whether the group or other users of the machine may read the file of info: a file that holds
// a secret (a private key, API keys) must be its owner's alone, mode 600.
func OthersMayRead(info os.FileInfo) bool { return info.Mode().Perm()&0o077 != 0 }

// checkOwner refuses path, of info, when another user than the caller or root owns it.
func checkOwner(path string, info os.FileInfo) error {
	if uid, ok := ownerOf(info); ok && uid != os.Getuid() && uid != 0 {
		return ledgererr.Messagef("%s belongs to another user (uid %d); it must be yours", path, uid)
	}
	return nil
}

// CheckNamedFile refuses a file a member profile names (the gateway's CA, the certificate, the key, the token's
// library) when another user could change it or put another file in its place: the file as Check does, and
// its folder too, unless the folder's sticky bit (as /tmp's) already lets only the file's owner replace it. A link
// is judged by its own folder (where the link could be replaced) and by the folder of the file it leads to (where
// that file could). Another CA would let its holder pose as the gateway; another library runs as the member. A file
// that is not there is left for what reads it to report.
func CheckNamedFile(path string) error {
	if path == "" {
		return nil
	}
	if err := Check(path); errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	if err := checkFolder(filepath.Dir(path)); err != nil {
		return err
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	if dir := filepath.Dir(target); dir != filepath.Dir(path) {
		return checkFolder(dir)
	}
	return nil
}

// checkFolder refuses the folder dir of a file when another user could put another file in its place: as Check,
// or only its owner when its sticky bit (as /tmp's) lets nobody else replace a file in it.
func checkFolder(dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if info.Mode()&os.ModeSticky != 0 {
		return checkOwner(dir, info)
	}
	return Check(dir)
}
