package client

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/deltaledger/deltaledger/internal/fabricca"
)

// MSPPendingDir is the folder, inside an MSP folder, that keeps a new enrollment (after Reenroll) while the
// ledger's binding of its key (ParticipantService.RotateKey) is not known to be committed: once the ledger binds
// it, the old key is refused, so the new one must outlive a binding whose outcome was lost on the way. Fabric reads
// an MSP folder's own subfolders only, so this one is invisible to it.
const MSPPendingDir = "pending"

// MSPPendingTransactionFile is the file, in MSPPendingDir, that names the transaction of the binding of the pending
// key when its outcome was lost (WritePendingTransaction): its commit status settles the binding.
const MSPPendingTransactionFile = "transaction"

// ErrPendingMSP is the error of WritePendingMSP when the MSP folder keeps a pending enrollment already: that one
// may be the key the ledger binds, so it is never overwritten.
var ErrPendingMSP = errors.New("the MSP folder keeps a pending enrollment already")

// WritePendingMSP keeps the enrollment in the MSP folder dir's MSPPendingDir, in the layout of an MSP folder (its
// key mode 600): written whole in a new folder beside it, flushed to the disk, then renamed into place, so that
// the pending folder holds the whole enrollment or does not exist. It refuses (ErrPendingMSP) when one is pending
// already, and a folder that another user of the machine owns or may write, as WriteMSP does.
func (e *Enrollment) WritePendingMSP(dir string) error {
	if err := ownMSPFolder(dir); err != nil {
		return err
	}
	pending := filepath.Join(dir, MSPPendingDir)
	if _, err := os.Lstat(pending); err == nil {
		return fmt.Errorf("deltaledger: %s: %w", pending, ErrPendingMSP)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("deltaledger: %w", err)
	}
	keyPEM, err := fabricca.MarshalPrivateKey(e.Key)
	if err != nil {
		return fmt.Errorf("deltaledger: encoding the key: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, "."+MSPPendingDir+".*")
	if err != nil {
		return fmt.Errorf("deltaledger: %w", err)
	}
	defer os.RemoveAll(tmp) // gone after the rename; a leftover of a failure otherwise
	if err := fabricca.WriteMSP(tmp, keyPEM, e.CAChainPEM, e.CertificatePEM); err != nil {
		return fmt.Errorf("deltaledger: %w", err)
	}
	// A rename never replaces a folder that holds files: a pending enrollment written meanwhile stays.
	if err := os.Rename(tmp, pending); err != nil {
		return fmt.Errorf("deltaledger: %s: %w", pending, ErrPendingMSP)
	}
	return syncFolder(dir)
}

// ReadPendingMSP reads the enrollment that WritePendingMSP kept in the MSP folder dir; errors.Is(err,
// fs.ErrNotExist) when none is pending.
func ReadPendingMSP(dir string) (*Enrollment, error) {
	return ReadMSP(filepath.Join(dir, MSPPendingDir))
}

// WritePendingTransaction names, in the pending enrollment of the MSP folder dir, the transaction txID that binds
// its key and whose outcome was lost (InFlight): written whole beside it, flushed and renamed into place.
func WritePendingTransaction(dir, txID string) error {
	pending := filepath.Join(dir, MSPPendingDir)
	tmp, err := os.CreateTemp(pending, "."+MSPPendingTransactionFile+".*")
	if err != nil {
		return fmt.Errorf("deltaledger: %w", err)
	}
	defer os.Remove(tmp.Name()) // gone after the rename; a leftover of a failure otherwise
	_, err = tmp.WriteString(txID + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(pending, MSPPendingTransactionFile))
	}
	if err != nil {
		return fmt.Errorf("deltaledger: %w", err)
	}
	return syncFolder(pending)
}

// ReadPendingTransaction returns the transaction that WritePendingTransaction named in the pending enrollment of
// the MSP folder dir; "" when it names none (the binding's answer was lost before its transaction was sent, or
// the command stopped before it could write it).
func ReadPendingTransaction(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, MSPPendingDir, MSPPendingTransactionFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("deltaledger: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// InstallPendingMSP replaces the enrollment of the MSP folder dir with the pending one, once the ledger binds its
// key: each file is renamed over the old one (ReplaceMSP), and only then is the pending folder removed, so that an
// interrupted installation is repeated from it. It returns the installed enrollment.
func InstallPendingMSP(dir string) (*Enrollment, error) {
	pending, err := ReadPendingMSP(dir)
	if err != nil {
		return nil, err
	}
	if err := pending.ReplaceMSP(dir); err != nil {
		return nil, err
	}
	return pending, DiscardPendingMSP(dir)
}

// DiscardPendingMSP removes the pending enrollment of the MSP folder dir, once the ledger is known not to bind its
// key (it refused the binding, or binds the current key); nothing when none is pending.
func DiscardPendingMSP(dir string) error {
	if err := os.RemoveAll(filepath.Join(dir, MSPPendingDir)); err != nil {
		return fmt.Errorf("deltaledger: %w", err)
	}
	return syncFolder(dir)
}

// syncFolder flushes the entries of the folder dir to the disk, so that the pending folder's rename or removal
// outlives a crash of the machine: the binding it stands for is sent only after.
func syncFolder(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("deltaledger: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("deltaledger: flushing the folder %s: %w", dir, err)
	}
	return nil
}
