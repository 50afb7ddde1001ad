package fabricnet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// EnvReuse names the environment variable that, set to 1, lets EnsureUp use a network that is already healthy
// and leave it running afterwards.
const EnvReuse = "DELTALEDGER_REUSE_NETWORK"

// MetadataFunction is the contract API's system function every contractapi chaincode answers.
const MetadataFunction = "org.hyperledger.fabric:GetMetadata"

// Up runs scripts/up.sh (idempotent: it completes or checks a network that runs already), its output to out.
func Up(ctx context.Context, cfg *Config, out io.Writer) error {
	return runScript(ctx, cfg, "up.sh", out)
}

// Down runs scripts/down.sh: stops the network, keeps its state.
func Down(ctx context.Context, cfg *Config, out io.Writer) error {
	return runScript(ctx, cfg, "down.sh", out)
}

func runScript(ctx context.Context, cfg *Config, name string, out io.Writer) error {
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(cfg.Root, "scripts", name))
	cmd.Dir = cfg.Root
	cmd.Stdout = out
	cmd.Stderr = out
	// The network's processes keep running after up.sh exits; they never hold its output open (they log to
	// files), so waiting for the script is enough.
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("scripts/%s: %w", name, err)
	}
	return nil
}

// Healthy evaluates GetMetadata through every org's peer as the org's Admin.
func (n *Network) Healthy(ctx context.Context) error {
	var errs []error
	for _, o := range n.cfg.Orgs {
		if err := n.evaluateMetadata(ctx, o); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", o.MSPID, err))
		}
	}
	return errors.Join(errs...)
}

func (n *Network) evaluateMetadata(ctx context.Context, o Org) error {
	gw, err := n.Gateway(o.Key, "Admin")
	if err != nil {
		return err
	}
	defer gw.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	proposal, err := n.Contract(gw).NewProposal(MetadataFunction)
	if err != nil {
		return err
	}
	_, err = proposal.EvaluateWithContext(ctx)
	return err
}

// EnsureUp gives a test run a healthy network. With DELTALEDGER_REUSE_NETWORK=1 a network that is already healthy
// is used as it is and the returned teardown leaves it running (so does a network it had to start); otherwise it
// runs scripts/up.sh and the teardown runs scripts/down.sh. Script output goes to out.
func EnsureUp(ctx context.Context, cfg *Config, out io.Writer) (teardown func(context.Context) error, err error) {
	reuse := os.Getenv(EnvReuse) == "1"
	noop := func(context.Context) error { return nil }
	if reuse {
		n := New(cfg)
		err := n.Healthy(ctx)
		n.Close()
		if err == nil {
			fmt.Fprintf(out, "fabricnet: reusing the running network (%s=1)\n", EnvReuse)
			return noop, nil
		}
	}
	if err := Up(ctx, cfg, out); err != nil {
		return noop, err
	}
	if reuse {
		return noop, nil
	}
	return func(ctx context.Context) error { return Down(ctx, cfg, out) }, nil
}

// RunTests is the body of an end-to-end package's TestMain: it makes sure the
// network is up (EnsureUp), connects to it, runs setup (may be nil), runs the
// tests and tears down what it started. It returns the exit code for os.Exit.
func RunTests(m interface{ Run() int }, setup func(ctx context.Context, net *Network) error) int {
	ctx := context.Background()
	cfg, err := LoadConfig("")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	teardown, err := EnsureUp(ctx, cfg, os.Stderr)
	defer func() {
		if err := teardown(ctx); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	net := New(cfg)
	defer net.Close()
	if setup != nil {
		setupCtx, cancel := context.WithTimeout(ctx, 3*time.Minute)
		defer cancel()
		if err := setup(setupCtx, net); err != nil {
			fmt.Fprintln(os.Stderr, "setting up the end-to-end tests:", err)
			return 1
		}
	}
	return m.Run()
}
