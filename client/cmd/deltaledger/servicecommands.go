package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/deltaledger/deltaledger/client"
)

// The commands below are one SDK call each on the record their argument
// names: the group that holds such a command names the call by its method
// (service, e.g. (*client.Client).Assets, and its method, e.g.
// (*client.AssetService).Get), so that the call reads in one line and no
// command writes its own closure to forward the argument.

// readCommand is `NAME ARG` (argCommand): it prints what read answers for
// the argument, of the client's service that service names.
func readCommand[S, T any](a *app, name, arg, short string, service func(*client.Client) S,
	read func(s S, ctx context.Context, arg string) (T, error)) *cobra.Command {
	return a.argCommand(name, arg, short, func(ctx context.Context, c *client.Client, arg string) (any, error) {
		return read(service(c), ctx, arg)
	})
}

// changeCommand is `NAME ARG` (argCommand): it submits change of the
// client's service that service names for the argument, with the command
// line's submit options, and prints its answer.
func changeCommand[S, T any](a *app, name, arg, short string, service func(*client.Client) S,
	change func(s S, ctx context.Context, arg string, opts ...client.SubmitOption) (T, error)) *cobra.Command {
	return a.argCommand(name, arg, short, func(ctx context.Context, c *client.Client, arg string) (any, error) {
		return change(service(c), ctx, arg, a.submitOptions()...)
	})
}

// reasonChangeCommand is `NAME ARG --reason TEXT` (reasonCommand): a
// changeCommand whose change must say why.
func reasonChangeCommand[S, T any](a *app, name, arg, short string, service func(*client.Client) S,
	change func(s S, ctx context.Context, arg, reason string, opts ...client.SubmitOption) (T, error)) *cobra.Command {
	return a.reasonCommand(name, arg, short, func(ctx context.Context, c *client.Client, arg, reason string) (any, error) {
		return change(service(c), ctx, arg, reason, a.submitOptions()...)
	})
}
