package bench

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// PrintTable writes the figures and the ratios as aligned tables.
func PrintTable(w io.Writer, figures []*Figures, all map[string]float64, rounds map[string][]float64) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "path\tunit\tok/run\tper s\tround min-max\tp50 ms\tp95 ms\tp99 ms\tload\tfailures\t")
	for _, f := range figures {
		lo, hi := spread(f.RoundPerSecond)
		fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%.1f\t%.1f-%.1f\t%.0f\t%.0f\t%.0f\t%.1f\t%s\t\n", f.Name, f.Unit, f.Succeeded, f.Attempted,
			f.PerSecond, lo, hi, f.Latency.P50, f.Latency.P95, f.Latency.P99, f.LoadAverage, failureList(f))
	}
	tw.Flush()
	printCPU(w, figures)
	if len(all) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "ratio\tvalue\tper round\t")
	for _, d := range RatioDefinitions {
		v, ok := all[d.Key]
		if !ok {
			continue
		}
		per := make([]string, len(rounds[d.Key]))
		for i, r := range rounds[d.Key] {
			per[i] = fmt.Sprintf("%.2f", r)
		}
		fmt.Fprintf(tw, "%s\t%.2f\t%s\t\n", d.Key, v, strings.Join(per, " "))
	}
	tw.Flush()
}

// printCPU writes where each path's CPU time went, in milliseconds per
// operation by role, with the cores the path kept busy.
func printCPU(w io.Writer, figures []*Figures) {
	var roles []string
	for _, f := range figures {
		for role := range f.CPUPerOp {
			if !slices.Contains(roles, role) {
				roles = append(roles, role)
			}
		}
	}
	if len(roles) == 0 {
		return
	}
	slices.Sort(roles)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintf(tw, "cpu ms/op\tcores\ttotal\t%s\t\n", strings.Join(roles, "\t"))
	for _, f := range figures {
		cells := make([]string, len(roles))
		for i, role := range roles {
			cells[i] = fmt.Sprintf("%.3f", f.CPUPerOp[role])
		}
		fmt.Fprintf(tw, "%s\t%.2f\t%.3f\t%s\t\n", f.Name, f.CPUCores, f.CPUTotal(), strings.Join(cells, "\t"))
	}
	tw.Flush()
}

// spread returns the lowest and highest value.
func spread(v []float64) (float64, float64) {
	if len(v) == 0 {
		return 0, 0
	}
	return slices.Min(v), slices.Max(v)
}

func failureList(f *Figures) string {
	kinds := f.failureKinds()
	if len(kinds) == 0 {
		return "-"
	}
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%s %d", k, f.Failures[k])
	}
	return strings.Join(parts, ", ")
}
