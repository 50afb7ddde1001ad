package trades

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every pair of orgs gets one collection, named as the contracts name it,
// whose writes both orgs' peers must endorse; the order of the orgs given
// changes nothing.
func TestTermsCollectionsDefineEveryPairWithBothOrgsEndorsing(t *testing.T) {
	got, err := TermsCollections([]string{"ZhejiangMSP", "ShanghaiMSP", "AnhuiMSP"})
	require.NoError(t, err)
	pairs := [][2]string{{"AnhuiMSP", "ShanghaiMSP"}, {"AnhuiMSP", "ZhejiangMSP"}, {"ShanghaiMSP", "ZhejiangMSP"}}
	require.Len(t, got, len(pairs))
	for i, pair := range pairs {
		c := got[i]
		assert.Equal(t, TermsCollection(pair[1], pair[0]), c.Name)
		assert.Equal(t, []string{pair[0], pair[1]}, c.Members)
		assert.Equal(t, []string{pair[0], pair[1]}, c.Endorsers, "a write needs both orgs' peers")
		assert.True(t, c.MemberOnlyRead)
		assert.True(t, c.MemberOnlyWrite)
		assert.Zero(t, c.BlockToLive, "terms are kept until both parties purge them")
	}
	again, err := TermsCollections([]string{"AnhuiMSP", "ShanghaiMSP", "ZhejiangMSP"})
	require.NoError(t, err)
	assert.Equal(t, got, again)
}

func TestTermsCollectionsRefuseBadMSPIDs(t *testing.T) {
	for _, tc := range []struct {
		orgs []string
		want string
	}{
		{[]string{"AnhuiMSP", ""}, "must not be empty"},
		{[]string{"AnhuiMSP", "AnhuiMSP"}, `"AnhuiMSP" is named twice`},
		{[]string{"AnhuiMSP", "Evil')"}, "may hold only letters, digits"},
		{[]string{"-Anhui"}, "must start with a letter or a digit"},
		{[]string{"A", "A-B", "B-C", "C"}, `would be named "terms-A-B-C" like that of`},
	} {
		_, err := TermsCollections(tc.orgs)
		if assert.Error(t, err, "%q", tc.orgs) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
	one, err := TermsCollections([]string{"AnhuiMSP"})
	require.NoError(t, err)
	assert.Empty(t, one, "one org has no pair")
}
