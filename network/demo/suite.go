package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// RunSuite is the body of the TestMain of an end-to-end suite that acts as
// the demo members: fabricnet.RunTests with the network stored in *net and
// the demo participants registered (their registration logged to log)
// before the tests run. It returns the exit code for os.Exit.
func RunSuite(m interface{ Run() int }, net **fabricnet.Network, log io.Writer) int {
	return fabricnet.RunTests(m, func(ctx context.Context, n *fabricnet.Network) error {
		*net = n
		return RegisterParticipants(ctx, n, log)
	})
}

// RunID is prefix followed by the time now in Unix seconds: record IDs that
// carry it are unique to one run, so that a suite can run again against a
// network it ran on before.
func RunID(prefix string) string {
	return fmt.Sprintf("%s%d", prefix, time.Now().Unix())
}
