package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/deltaledger/deltaledger/client"
)

// The CLI keeps its session (the highest ledger block it has seen, see
// client.Session) in a file between runs, so that a command sees what the
// commands before it did, through whichever region's gateway: the buyer's
// payment through Jiangsu right after the seller's acceptance through
// Shanghai waits for Jiangsu's peer to commit the acceptance.
//
// DELTALEDGER_SESSION names the file ("none": no session). Otherwise a
// profile's commands keep it next to the network's keys file, so that it
// goes with the network (make clean removes both); a bare --gateway keeps
// none, since a block number means nothing on another network.
const sessionFileName = "cli-session"

func sessionFile(getenv func(string) string, profileSession string) string {
	switch v := getenv("DELTALEDGER_SESSION"); v {
	case "none":
		return ""
	case "":
		return profileSession
	default:
		return v
	}
}

// loadSession reads the session file; a missing or unreadable one is a new
// session (it only makes reads wait, never changes what they do).
func loadSession(path string) *client.Session {
	if path == "" {
		return client.NewSession()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return client.NewSession()
	}
	block, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return client.NewSession()
	}
	return client.ResumeSession(block)
}

// saveSession writes the session's block, that of a command that succeeded,
// when it is above the file's (other commands may run at the same time),
// replacing the file whole; or below it when a gateway made the session
// lower the block it resumed, resumed (client.Session: a block another
// gateway named, far ahead, which this one's peer had not committed in
// time), and the file still holds that block.
func saveSession(path string, resumed *client.Session, s *client.Session) error {
	block, ok := s.Block()
	if path == "" || !ok {
		return nil
	}
	if prior, ok := loadSession(path).Block(); ok && prior >= block {
		if resumed == nil {
			return nil
		}
		was, wasOK := resumed.Block()
		if !wasOK || prior != was || block >= was {
			return nil
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".last-block-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(strconv.FormatUint(block, 10) + "\n"); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
