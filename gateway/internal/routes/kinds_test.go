package routes_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheCompilerChecksTheKinds tries to declare the routes the two kinds
// rule out (a gateway route running a chaincode function, a chaincode route
// carrying code, a gateway route without its code, a third kind of route)
// and requires each to fail to compile with the error that says why; a
// well-formed declaration of each kind compiles, so that a failure is the
// rule's and not the harness's. Each case is a file added to a package by
// go build -overlay: the source tree is not touched.
func TestTheCompilerChecksTheKinds(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	dir, err := os.Getwd()
	require.NoError(t, err)
	cases := []struct {
		name, pkg, src, error string
	}{
		{"well-formed routes compile", ".", `package routes
var _ = []Route{
	ChaincodeRoute{Operation: Operation{ID: "x", Method: "GET", Path: "/x"}, Function: "assets:Get"},
	Answered(Handlers.Health, GatewayRoute{Operation: Operation{ID: "y", Method: "GET", Path: "/y"}, Public: true}),
}`, ""},
		{"a gateway route runs no chaincode function", ".", `package routes
var _ Route = Answered(Handlers.Health, GatewayRoute{Operation: Operation{ID: "x"}, Function: "assets:Get"})`,
			"unknown field Function in struct literal of type GatewayRoute"},
		{"a chaincode route carries no code", ".", `package routes
var _ Route = ChaincodeRoute{Operation: Operation{ID: "x"}, Function: "assets:Get", serve: Handlers.Health}`,
			"unknown field serve in struct literal of type ChaincodeRoute"},
		{"a gateway route has its code", ".", `package routes
var _ Route = Answered(GatewayRoute{Operation: Operation{ID: "x"}})`,
			"not enough arguments in call to Answered"},
		{"no code but Answered gives a gateway route its code", "other", `package other
import "github.com/deltaledger/deltaledger/gateway/internal/routes"
var _ = routes.GatewayRoute{Operation: routes.Operation{ID: "x"}, serve: routes.Handlers.Health}`,
			"cannot refer to unexported field serve"},
		{"there is no third kind", "other", `package other
import "github.com/deltaledger/deltaledger/gateway/internal/routes"
type third struct{ routes.Operation }
func (third) Inputs() []routes.Param { return nil }
func (third) FromLedger() bool       { return false }
var _ routes.Route = third{}`,
			"missing method kind"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			src := filepath.Join(tmp, "case.go")
			require.NoError(t, os.WriteFile(src, []byte(c.src), 0o600))
			pkg := filepath.Join(dir, c.pkg)
			overlay, err := json.Marshal(map[string]any{"Replace": map[string]string{filepath.Join(pkg, "zz_case.go"): src}})
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(tmp, "overlay.json"), overlay, 0o600))
			cmd := exec.Command(goTool, "build", "-overlay", filepath.Join(tmp, "overlay.json"), "-o", os.DevNull, "./"+c.pkg)
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			if c.error == "" {
				require.NoError(t, err, "%s", out)
				return
			}
			require.Error(t, err, "it compiled")
			assert.Contains(t, string(out), c.error)
		})
	}
}
