// Package listings is the market's shop window: a listing offers one right
// over one registered data asset (a use licence with its scope, an operation
// right, or the holding itself) at a price in integer fen, fixed or
// negotiable, with terms identified by their hash.
//
// A HOLDING listing is sold once: when its trade completes it becomes SOLD.
// A USE or OPERATION listing offers a licence that can be issued many times,
// so it stays ACTIVE until its seller delists it.
//
// Price changes are kept as history, one record per change (see PricePoint).
package listings
