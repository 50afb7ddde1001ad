package client

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/deltaledger/deltaledger/internal/private"
)

// ownMSPFolder makes the MSP folder dir (mode 700) when it is not there, and refuses it, or a folder in it that an
// enrollment is written into, when another user of the machine could change it (private.Check): that user could put
// a certificate and key of their own in the member's place, which whatever reads the folder would then sign with.
func ownMSPFolder(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("deltaledger: %w", err)
	}
	for _, d := range []string{dir, filepath.Dir(filepath.Join(dir, MSPKeyFile)), filepath.Dir(filepath.Join(dir, MSPCertFile)),
		filepath.Dir(filepath.Join(dir, MSPCAFile))} {
		if err := private.Check(d); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("deltaledger: %w", err)
		}
	}
	return nil
}
