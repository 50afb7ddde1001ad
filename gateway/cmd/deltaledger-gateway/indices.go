package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/deltaledger/deltaledger/model"
)

// newIndicesCommand builds the commands about the periods of the published
// indices.
func newIndicesCommand() *cobra.Command {
	openable := &cobra.Command{
		Use:   "openable [" + model.PeriodMinute + "|" + model.PeriodHour + "|" + model.PeriodDay + "|" + model.PeriodMonth + "]",
		Short: "Print the newest period of the kind (default " + model.PeriodHour + ") that indices:Open opens now",
		Long: "openable prints the newest period of the kind whose closing instant (model.PeriodClosesAt) has come: " +
			model.PeriodClosingDelay.String() + " after its end\n(" + model.MaxClockSkew.String() +
			" for a period of 2026 or earlier, Beijing time), which indices:Open opens now and so a regulator may publish\n" +
			"(make close-period's default). A period that ended sooner may still get transactions.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kind := model.PeriodHour
			if len(args) == 1 {
				kind = args[0]
			}
			if err := model.CheckPeriodKind(kind); err != nil {
				return fmt.Errorf("kind: %w", err)
			}
			_, err := fmt.Fprintln(cmd.OutOrStdout(), model.OpenablePeriods(kind, time.Now(), 1)[0])
			return err
		},
	}
	return group("indices", "Name the periods of the published indices", openable)
}
