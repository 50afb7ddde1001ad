package main

import (
	"fmt"
	"os"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// checkPrivate refuses the file or folder path when another user of the machine could change it: one that user
// owns, or one its group or other users may write. The member's MSP folder and its profile are such: the profile
// names the library the CLI loads for a token, the key and the gateway, so whoever could rewrite it could run code
// as the member or take its signatures; the demo keys file names the gateway. root's are allowed, as a system-wide
// profile would be.
func checkPrivate(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if uid, ok := ownerOf(info); ok && uid != os.Getuid() && uid != 0 {
		return ledgererr.Messagef("%s belongs to another user (uid %d); it must be yours", path, uid)
	}
	if info.Mode().Perm()&0o022 != 0 {
		return ledgererr.Messagef("%s may be written by other users (mode %s); chmod go-w it", path, fmt.Sprintf("%04o", info.Mode().Perm()))
	}
	return nil
}
