package chaincodetest_test

import (
	"strconv"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
)

func TestCompositeKeys(t *testing.T) {
	net, client := kvNetwork()

	tests := []struct {
		name       string
		objectType string
		attrs      []string
		want       string
		wantErr    string
	}{
		{name: "type only", objectType: "asset", want: "\x00asset\x00"},
		{name: "type and attributes", objectType: "color~name", attrs: []string{"blue", "a1"}, want: "\x00color~name\x00blue\x00a1\x00"},
		{name: "empty attribute", objectType: "t", attrs: []string{""}, want: "\x00t\x00\x00"},
		{name: "unicode", objectType: "名", attrs: []string{"值"}, want: "\x00名\x00值\x00"},
		{name: "null in type", objectType: "a\x00b", wantErr: "U+0000"},
		{name: "null in attribute", objectType: "t", attrs: []string{"a\x00"}, wantErr: "U+0000"},
		{name: "max rune in attribute", objectType: "t", attrs: []string{"\U0010FFFF"}, wantErr: "U+10FFFF"},
		{name: "invalid UTF-8", objectType: "t", attrs: []string{"\xff"}, wantErr: "not a valid utf8 string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net.SubmitFunc(client, func(stub shim.ChaincodeStubInterface) error {
				key, err := stub.CreateCompositeKey(tt.objectType, tt.attrs)
				if tt.wantErr != "" {
					assert.ErrorContains(t, err, tt.wantErr)
					return nil
				}
				require.NoError(t, err)
				assert.Equal(t, tt.want, key)

				// It is the shim's own layout, and SplitCompositeKey inverts it.
				shimKey, err := shim.CreateCompositeKey(tt.objectType, tt.attrs)
				require.NoError(t, err)
				assert.Equal(t, shimKey, key)
				objectType, attrs, err := stub.SplitCompositeKey(key)
				require.NoError(t, err)
				assert.Equal(t, tt.objectType, objectType)
				if len(tt.attrs) == 0 {
					assert.Empty(t, attrs)
				} else {
					assert.Equal(t, tt.attrs, attrs)
				}
				return nil
			}).MustOK(t)
		})
	}
}

// seedRangeData commits simple keys k00..k(n-1) and some composite keys.
func seedRangeData(t *testing.T, net *chaincodetest.Network, client chaincodetest.Identity, n int) {
	t.Helper()
	var args []string
	for i := range n {
		args = append(args, "k"+pad(i), "v"+pad(i))
	}
	net.Submit(client, "put", args...).MustOK(t)
	for _, attrs := range [][]string{
		{"blue", "a1"}, {"blue", "a2"}, {"blue", "a3"}, {"bluegreen", "a4"}, {"red", "a5"},
	} {
		net.Submit(client, "putComposite", append([]string{"x", "color~name"}, attrs...)...).MustOK(t)
	}
	net.Submit(client, "putComposite", "x", "owner~name", "bob", "a1").MustOK(t)
}

func pad(i int) string {
	s := strconv.Itoa(i)
	if len(s) < 2 {
		s = "0" + s
	}
	return s
}

func compositeKey(objectType string, attrs ...string) string {
	key, err := shim.CreateCompositeKey(objectType, attrs)
	if err != nil {
		panic(err)
	}
	return key
}

func TestRangeQueries(t *testing.T) {
	net, client := kvNetwork()
	seedRangeData(t, net, client, 5)

	tests := []struct {
		name       string
		start, end string
		want       []string
	}{
		{"open range has simple keys only", "", "", []string{"k00", "k01", "k02", "k03", "k04"}},
		{"start inclusive, end exclusive", "k01", "k03", []string{"k01", "k02"}},
		{"open end", "k03", "", []string{"k03", "k04"}},
		{"open start", "", "k02", []string{"k00", "k01"}},
		{"bounds between keys", "k005", "k025", []string{"k01", "k02"}},
		{"empty range", "k03", "k03", []string{}},
		{"inverted range", "k04", "k01", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, queryKeys(t, net, client, func(stub shim.ChaincodeStubInterface) (shim.StateQueryIteratorInterface, error) {
				return stub.GetStateByRange(tt.start, tt.end)
			}))
		})
	}
}

func TestRangeQueryResults(t *testing.T) {
	net, client := kvNetwork(chaincodetest.WithChaincodeName("assets"))
	net.Submit(client, "put", "a", "1", "b", "2").MustOK(t)

	net.SubmitFunc(client, func(stub shim.ChaincodeStubInterface) error {
		it, err := stub.GetStateByRange("", "")
		require.NoError(t, err)
		first, err := it.Next()
		require.NoError(t, err)
		assert.Equal(t, "assets", first.Namespace)
		assert.Equal(t, "a", first.Key)
		assert.Equal(t, "1", string(first.Value))

		// The results are a snapshot: the iterator's values are copies.
		first.Value[0] = 'X'
		assert.Equal(t, "1", string(net.Ledger().State("a")))

		_, err = it.Next()
		require.NoError(t, err)
		assert.False(t, it.HasNext())
		_, err = it.Next()
		assert.ErrorContains(t, err, "no such key")
		return it.Close()
	}).MustOK(t)
}

// page is what one paginated query returned.
type page struct {
	keys     []string
	bookmark string
	count    int32
}

func TestPaginationAcrossPages(t *testing.T) {
	client := chaincodetest.NewCA("Org1MSP").Issue("alice", "client")

	tests := []struct {
		name     string
		keys     int
		pageSize int32
		start    string
		end      string
		want     []page
	}{
		{
			name: "last page partly full", keys: 7, pageSize: 3,
			want: []page{
				{[]string{"k00", "k01", "k02"}, "k03", 3},
				{[]string{"k03", "k04", "k05"}, "k06", 3},
				{[]string{"k06"}, "", 1},
			},
		},
		{
			name: "last page exactly full", keys: 6, pageSize: 3,
			want: []page{
				{[]string{"k00", "k01", "k02"}, "k03", 3},
				{[]string{"k03", "k04", "k05"}, "", 3},
			},
		},
		{
			name: "bookmark stays inside the range", keys: 10, pageSize: 2, start: "k03", end: "k07",
			want: []page{
				{[]string{"k03", "k04"}, "k05", 2},
				{[]string{"k05", "k06"}, "", 2},
			},
		},
		{
			name: "one page", keys: 2, pageSize: 10,
			want: []page{{[]string{"k00", "k01"}, "", 2}},
		},
		{
			name: "no keys", keys: 0, pageSize: 10,
			want: []page{{[]string{}, "", 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net := chaincodetest.NewNetwork(kvChaincode())
			seedRangeData(t, net, client, tt.keys)

			var got []page
			bookmark := ""
			for {
				p := queryPage(t, net, client, func(stub shim.ChaincodeStubInterface) (shim.StateQueryIteratorInterface, *page, error) {
					it, md, err := stub.GetStateByRangeWithPagination(tt.start, tt.end, tt.pageSize, bookmark)
					if err != nil {
						return nil, nil, err
					}
					return it, &page{bookmark: md.Bookmark, count: md.FetchedRecordsCount}, nil
				})
				got = append(got, p)
				if p.bookmark == "" || len(got) > 10 {
					break
				}
				bookmark = p.bookmark
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// queryPage runs a paginated query in an evaluated transaction.
func queryPage(t *testing.T, net *chaincodetest.Network, client chaincodetest.Identity, query func(shim.ChaincodeStubInterface) (shim.StateQueryIteratorInterface, *page, error)) page {
	t.Helper()
	var p page
	net.InvokeFunc(client, chaincodetest.Call{Evaluate: true}, func(stub shim.ChaincodeStubInterface) ([]byte, error) {
		it, md, err := query(stub)
		if err != nil {
			return nil, err
		}
		p = *md
		p.keys = keysOf(t, it)
		return nil, nil
	}).MustOK(t)
	return p
}

func TestPaginationWithoutPageSize(t *testing.T) {
	net, client := kvNetwork()
	seedRangeData(t, net, client, 4)

	t.Run("no page size and no bookmark is no pagination", func(t *testing.T) {
		p := queryPage(t, net, client, func(stub shim.ChaincodeStubInterface) (shim.StateQueryIteratorInterface, *page, error) {
			it, md, err := stub.GetStateByRangeWithPagination("", "", 0, "")
			return it, &page{bookmark: md.GetBookmark(), count: md.GetFetchedRecordsCount()}, err
		})
		assert.Equal(t, page{keys: []string{"k00", "k01", "k02", "k03"}}, p)
	})
	t.Run("a bookmark without page size returns the rest", func(t *testing.T) {
		p := queryPage(t, net, client, func(stub shim.ChaincodeStubInterface) (shim.StateQueryIteratorInterface, *page, error) {
			it, md, err := stub.GetStateByRangeWithPagination("", "", 0, "k02")
			return it, &page{bookmark: md.GetBookmark(), count: md.GetFetchedRecordsCount()}, err
		})
		assert.Equal(t, page{keys: []string{"k02", "k03"}, count: 2}, p)
	})
}

func TestPartialCompositeKeyQueries(t *testing.T) {
	net, client := kvNetwork()
	seedRangeData(t, net, client, 3)

	tests := []struct {
		name       string
		objectType string
		attrs      []string
		want       []string
	}{
		{"object type", "color~name", nil, []string{
			compositeKey("color~name", "blue", "a1"), compositeKey("color~name", "blue", "a2"), compositeKey("color~name", "blue", "a3"),
			compositeKey("color~name", "bluegreen", "a4"), compositeKey("color~name", "red", "a5"),
		}},
		{"attribute matches whole attributes only", "color~name", []string{"blue"}, []string{
			compositeKey("color~name", "blue", "a1"), compositeKey("color~name", "blue", "a2"), compositeKey("color~name", "blue", "a3"),
		}},
		{"full key matches itself", "color~name", []string{"red", "a5"}, []string{compositeKey("color~name", "red", "a5")}},
		{"other object type", "owner~name", nil, []string{compositeKey("owner~name", "bob", "a1")}},
		{"no match", "color~name", []string{"green"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, queryKeys(t, net, client, func(stub shim.ChaincodeStubInterface) (shim.StateQueryIteratorInterface, error) {
				return stub.GetStateByPartialCompositeKey(tt.objectType, tt.attrs)
			}))
		})
	}

	t.Run("invalid attribute", func(t *testing.T) {
		net.SubmitFunc(client, func(stub shim.ChaincodeStubInterface) error {
			_, err := stub.GetStateByPartialCompositeKey("color~name", []string{"a\x00"})
			return err
		}).MustFail(t, "U+0000")
	})
}

func TestPartialCompositeKeyPagination(t *testing.T) {
	net, client := kvNetwork()
	seedRangeData(t, net, client, 3)

	var got []page
	bookmark := ""
	for range 5 {
		p := queryPage(t, net, client, func(stub shim.ChaincodeStubInterface) (shim.StateQueryIteratorInterface, *page, error) {
			it, md, err := stub.GetStateByPartialCompositeKeyWithPagination("color~name", []string{"blue"}, 2, bookmark)
			if err != nil {
				return nil, nil, err
			}
			return it, &page{bookmark: md.Bookmark, count: md.FetchedRecordsCount}, nil
		})
		got = append(got, p)
		if bookmark = p.bookmark; bookmark == "" {
			break
		}
	}
	assert.Equal(t, []page{
		{[]string{compositeKey("color~name", "blue", "a1"), compositeKey("color~name", "blue", "a2")}, compositeKey("color~name", "blue", "a3"), 2},
		{[]string{compositeKey("color~name", "blue", "a3")}, "", 1},
	}, got)

	// All composite keys, across object types.
	p := queryPage(t, net, client, func(stub shim.ChaincodeStubInterface) (shim.StateQueryIteratorInterface, *page, error) {
		it, md, err := stub.GetAllStatesCompositeKeyWithPagination(5, "")
		if err != nil {
			return nil, nil, err
		}
		return it, &page{bookmark: md.Bookmark, count: md.FetchedRecordsCount}, nil
	})
	assert.Len(t, p.keys, 5)
	assert.Equal(t, compositeKey("owner~name", "bob", "a1"), p.bookmark)
}

func TestPaginatedQueriesAreReadOnly(t *testing.T) {
	net, client := kvNetwork()
	seedRangeData(t, net, client, 3)

	t.Run("no paginated query after a write", func(t *testing.T) {
		net.SubmitFunc(client, func(stub shim.ChaincodeStubInterface) error {
			require.NoError(t, stub.PutState("x", []byte("1")))
			_, _, err := stub.GetStateByRangeWithPagination("", "", 2, "")
			return err
		}).MustFail(t, "Paginated queries are supported only in a read-only transaction")
		assert.Nil(t, net.Ledger().State("x"))
	})
	t.Run("no write after a paginated query", func(t *testing.T) {
		net.SubmitFunc(client, func(stub shim.ChaincodeStubInterface) error {
			_, _, err := stub.GetStateByRangeWithPagination("", "", 2, "")
			require.NoError(t, err)
			return stub.PutState("x", []byte("1"))
		}).MustFail(t, "Transaction has already performed a paginated query. Writes are not allowed")
		assert.Nil(t, net.Ledger().State("x"))
	})
	t.Run("unpaginated queries mix with writes", func(t *testing.T) {
		net.SubmitFunc(client, func(stub shim.ChaincodeStubInterface) error {
			require.NoError(t, stub.PutState("x", []byte("1")))
			_, err := stub.GetStateByRange("", "")
			require.NoError(t, err)
			return stub.PutState("y", []byte("1"))
		}).MustOK(t)
		assert.NotNil(t, net.Ledger().State("y"))
	})
}
