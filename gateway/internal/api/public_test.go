package api_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
)

// publicAnswers drives every path of each public route's code, through the
// middleware, and returns the answers: the route's ID to its answers. A
// public route missing here fails TestPublicRoutesDocumentWhatTheyAnswer.
func publicAnswers(t *testing.T) map[string][]response {
	t.Helper()
	e := newEnv(t)
	unready := newEnv(t, api.WithReadyCache(0, time.Second))
	unready.fake.SetReady(fmt.Errorf("peer down"))

	onboarded, ca := onboardingEnv(t, api.WithBodyLimit(4096))
	inv := onboarded.do("alice", "POST", "/v1/members", onboard(newUSCC, "holder")).invitation(t)
	_, csr := keyAndCSR(t, newUSCC)
	enroll := func(secret string) string {
		b, _ := json.Marshal(map[string]string{"enrollmentId": newUSCC, "secret": secret, "csr": string(csr)})
		return string(b)
	}
	enrollAs := func(e *env, body string, options ...reqOption) response {
		return e.do("", "POST", "/v1/members/enroll", body, options...)
	}
	enrollment := []response{
		enrollAs(onboarded, enroll(inv.Secret)),
		enrollAs(onboarded, enroll(inv.Secret)), // used: 401
		enrollAs(onboarded, `{"enrollmentId":`),
		enrollAs(onboarded, strings.Replace(enroll("x"), `"csr"`, `"colour":"red","csr"`, 1)),
		enrollAs(onboarded, `{"enrollmentId":"`+newUSCC+`","secret":"x","csr":"not a CSR"}`),
		enrollAs(onboarded, `{"secret":"`+strings.Repeat("x", 5000)+`"}`),
		enrollAs(onboarded, enroll("x"), header("Content-Type", "text/plain")),
	}
	limited := newEnv(t, api.WithWriteLimit(1, 1)) // and no CA
	enrollment = append(enrollment, enrollAs(limited, enroll("x")), enrollAs(limited, enroll("x")))
	ca.Close()
	enrollment = append(enrollment, enrollAs(onboarded, enroll("y")))

	return map[string][]response{
		"health":       {e.do("", "GET", "/healthz", "")},
		"ready":        {e.do("", "GET", "/readyz", ""), unready.do("", "GET", "/readyz", "")},
		"openapi":      {e.do("", "GET", routes.OpenAPIPath, "")},
		"enrollMember": enrollment,
	}
}

// TestPublicRoutesDocumentWhatTheyAnswer: a route without credentials
// documents exactly the statuses its code and middleware answer (the
// document derives them: a client generated from it meets no other, and is
// promised none it never gets), each answer matching its documented shape;
// enrolling documents its 400 and 401 in the error shape.
func TestPublicRoutesDocumentWhatTheyAnswer(t *testing.T) {
	answers := publicAnswers(t)
	v := newDocValidator(t, newEnv(t).srv.Document())
	for _, rt := range routes.Table() {
		gw, ok := rt.(routes.GatewayRoute)
		if !ok || !gw.Public {
			continue
		}
		got, driven := answers[gw.ID]
		if !assert.True(t, driven, "public route %s: publicAnswers drives none of its answers", gw.ID) {
			continue
		}
		var answered []string
		for _, r := range got {
			v.validate(gw.Method, gw.Path, r)
			answered = append(answered, strconv.Itoa(r.Status))
		}
		var documented []string
		op := v.doc["paths"].(map[string]any)[gw.Path].(map[string]any)[strings.ToLower(gw.Method)].(map[string]any)
		for status := range op["responses"].(map[string]any) {
			documented = append(documented, status)
		}
		slices.Sort(answered)
		slices.Sort(documented)
		assert.Equal(t, documented, slices.Compact(answered), "%s %s: statuses documented and answered", gw.Method, gw.Path)
	}
	responses := v.doc["paths"].(map[string]any)["/v1/members/enroll"].(map[string]any)["post"].(map[string]any)["responses"].(map[string]any)
	for _, status := range []string{"400", "401"} {
		require.Contains(t, responses, status)
		r := responses[status].(map[string]any)
		if ref, isRef := r["$ref"].(string); isRef {
			r = v.doc["components"].(map[string]any)["responses"].(map[string]any)[strings.TrimPrefix(ref, "#/components/responses/")].(map[string]any)
		}
		assert.Equal(t, "#/components/schemas/ErrorBody", r["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)["$ref"], status)
	}
}
