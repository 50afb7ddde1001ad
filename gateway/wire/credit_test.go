package wire

import (
	"encoding/json"
	"testing"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/canonical"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func TestCheckContentsComparesTheContentsWithThePublicHash(t *testing.T) {
	contents := json.RawMessage(`{"type":"RATING","grade":"A"}`)
	read := CreditRecordRead{Record: model.Record{RecordID: "r1", ContentHash: canonical.SHA256Hex(contents)}, Contents: contents}
	if !read.CheckContents() {
		t.Fatal("contents that hash to the public content hash must check")
	}
	read.Verified = true
	read.Contents = json.RawMessage(`{"type":"RATING","grade":"B"}`)
	if read.CheckContents() {
		t.Fatal("tampered contents must not check, whatever the gateway's Verified says")
	}
	read.Contents = nil
	read.Record.ContentHash = canonical.SHA256Hex(nil)
	if read.CheckContents() {
		t.Fatal("no contents must not check, even against the hash of nothing")
	}
}

func TestDecodeContentsNamesTheRecordWithoutContents(t *testing.T) {
	read := CreditRecordRead{Record: model.Record{RecordID: "rating-7"}}
	_, err := read.DecodeContents()
	if err == nil {
		t.Fatal("decoding absent contents must fail")
	}
	if got, want := err.Error(), "the lookup returned no contents for record rating-7"; got != want {
		t.Fatalf("error = %q, want %q", got, want)
	}
	if zh := ledgererr.ErrorIn(err, ledgererr.Chinese); zh != "查询没有返回信用记录 rating-7 的内容" {
		t.Fatalf("Chinese error = %q", zh)
	}
	read.Contents = json.RawMessage(`{"type":"RATING","grade":"A"}`)
	c, err := read.DecodeContents()
	if err != nil || c.Type != "RATING" || c.Grade != "A" {
		t.Fatalf("DecodeContents = %+v, %v", c, err)
	}
}
