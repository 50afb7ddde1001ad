package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
)

// A buyer of the Jiangsu exchange browses the transport listings and orders
// one; with the local network's demo keys (source
// network/.state/gateways/demo-keys.env).
func Example() {
	ctx := context.Background()
	c, err := client.New(os.Getenv("JIANGSU_GW"),
		client.WithAPIKey(os.Getenv("JIANGSU_BUYER_KEY")),
		client.WithCAFile(os.Getenv("JIANGSU_CA")))
	if err != nil {
		log.Fatal(err)
	}
	for l, err := range c.Listings().ByCategory(ctx, "transport") {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(l.ID, l.RightType, l.PriceFen, l.SellerID)
	}
	order, err := c.Trades().Order(ctx, client.OrderRequest{TradeID: "trade-42", ListingID: "listing-7"})
	switch {
	case client.IsConflict(err):
		fmt.Println("taken:", err) // the listing is sold, or the trade ID is used
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println(order.Result.Status, order.TransactionID, order.BlockNumber)
	}
}

// A data holder registers an asset: the data is hashed locally and only its
// SHA-256 goes to the ledger.
func ExampleAssetService_Apply() {
	ctx := context.Background()
	c, err := client.New("https://127.0.0.1:27180", client.WithAPIKey(os.Getenv("SHANGHAI_HOLDER_KEY")),
		client.WithCAFile(os.Getenv("SHANGHAI_CA")))
	if err != nil {
		log.Fatal(err)
	}
	hash, err := client.SHA256File("moves.csv")
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.Assets().Apply(ctx, client.ApplyRequest{ID: "port-2026", Name: "Yangshan berth moves", Category: "transport",
		SourceRegion: "shanghai", Description: "Container moves per berth and hour", ContentHash: hash},
		client.WithIdempotencyKey("apply-port-2026")) // repeating the call is safe
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Result.Status == model.AssetPendingReview, res.TransactionID, res.BlockNumber)
}

// A submit that does not wait for its commit, followed to it later.
func ExampleNoWait() {
	ctx := context.Background()
	c, err := client.New(os.Getenv("SHANGHAI_GW"), client.WithAPIKey(os.Getenv("SHANGHAI_HOLDER_KEY")),
		client.WithCAFile(os.Getenv("SHANGHAI_CA")))
	if err != nil {
		log.Fatal(err)
	}
	pending, err := c.Trades().Deliver(ctx, "trade-42", client.SHA256([]byte("delivered data")), client.NoWait())
	if err != nil {
		log.Fatal(err)
	}
	done, err := pending.Wait(ctx) // or later: c.Transactions().Wait(ctx, pending.TransactionID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(done.Result.Status, done.BlockNumber)
}

// The regulator follows the ledger's events and resumes where it stopped
// after a restart; dropped connections are resumed by the client itself.
func ExampleClient_Events() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := client.New(os.Getenv("SHANGHAI_GW"), client.WithAPIKey(os.Getenv("SHANGHAI_REGULATOR_KEY")),
		client.WithCAFile(os.Getenv("SHANGHAI_CA")))
	if err != nil {
		log.Fatal(err)
	}
	saved, _ := os.ReadFile("last-event-id") // "" the first time: start at the next block
	for ev, err := range c.Events(ctx, client.EventsFrom(string(saved))) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ev.BlockNumber, ev.Name, string(ev.Payload))
		_ = os.WriteFile("last-event-id", []byte(ev.ID), 0o600)
	}
}

// Errors keep the gateway's status, code, message and field.
func ExampleError() {
	ctx := context.Background()
	c, err := client.New(os.Getenv("ANHUI_GW"), client.WithAPIKey(os.Getenv("ANHUI_BUYER_KEY")),
		client.WithCAFile(os.Getenv("ANHUI_CA")))
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.Assets().Get(ctx, "no-such-asset")
	var e *client.Error
	if errors.As(err, &e) {
		fmt.Println(e.Status, e.Code, e.Message, e.Field, client.IsNotFound(err))
	}
}
