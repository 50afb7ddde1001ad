package main

import (
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The command's help is written in English where it is defined, and in
// Chinese in helpInChinese (help_zh.go), keyed by the English text: each
// command's Short and Long, each flag's usage, each group's title, and an
// example's comments (its commands are the same in every language).
// Under a Chinese locale (LC_ALL, LC_MESSAGES or LANG) localiseHelp swaps
// them in, with cobra's headings in Chinese too; a text it lacks stays in
// English. TestEveryCommandAndFlagIsHelpedInBothLanguages requires them all.

// helpOf lists every text of the help of c and its subcommands, with a
// function that replaces it: the same walk finds the texts for the test and
// for localiseHelp. It adds cobra's own help and completion commands and
// help flags first, so that they are in the walk.
func helpOf(root *cobra.Command) []helpText {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	var texts []helpText
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.InitDefaultHelpFlag()
		c.InitDefaultVersionFlag()
		for _, field := range []*string{&c.Short, &c.Long} {
			if *field != "" {
				texts = append(texts, helpText{where: c.CommandPath(), text: field})
			}
		}
		if strings.Contains(c.Example, "#") { // only an example's comments are written in Chinese
			texts = append(texts, helpText{where: c.CommandPath(), text: &c.Example, example: true})
		}
		for _, g := range c.Groups() {
			texts = append(texts, helpText{where: c.CommandPath(), text: &g.Title})
		}
		for _, fs := range []*pflag.FlagSet{c.LocalNonPersistentFlags(), c.PersistentFlags()} {
			fs.VisitAll(func(f *pflag.Flag) {
				if f.Usage != "" && !hasText(texts, &f.Usage) {
					texts = append(texts, helpText{where: c.CommandPath() + " --" + f.Name, text: &f.Usage, flag: f.Name})
				}
			})
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return texts
}

// helpText is one text of the help and where it is.
type helpText struct {
	where   string
	text    *string
	flag    string // the flag's name, for a flag's usage
	example bool   // an example: commands with comments
}

func hasText(texts []helpText, p *string) bool {
	for _, t := range texts {
		if t.text == p {
			return true
		}
	}
	return false
}

// cobraHelp are the usages cobra gives its help and version flags: "help
// for assets apply".
var cobraHelp = map[string]ledgererr.Text{
	"help":    {En: "help for ", Zh: "显示帮助："},
	"version": {En: "version for ", Zh: "显示版本："},
}

// inChinese is the Chinese text of an English one of the help, or false.
func inChinese(t helpText) (string, bool) {
	if zh, ok := helpInChinese[*t.text]; ok {
		return zh, true
	}
	if h, ok := cobraHelp[t.flag]; ok {
		if name, ok := strings.CutPrefix(*t.text, h.En); ok {
			return h.Zh + name, true
		}
	}
	return "", false
}

// localiseHelp writes root's help in lang: English as defined, Chinese
// from helpInChinese.
func localiseHelp(root *cobra.Command, lang ledgererr.Language) {
	if lang != ledgererr.Chinese {
		return
	}
	for _, t := range helpOf(root) {
		if zh, ok := inChinese(t); ok {
			*t.text = zh
		}
	}
	root.SetUsageTemplate(chineseUsageTemplate)
}

// flagDefault is how pflag writes a flag's default after its usage.
var flagDefault = regexp.MustCompile(`(?m) \(default (.*)\)$`)

func init() {
	cobra.AddTemplateFunc("chineseFlagUsages", func(fs *pflag.FlagSet) string {
		return flagDefault.ReplaceAllString(strings.TrimRight(fs.FlagUsages(), " \n"), "（默认值：$1）")
	})
}

// chineseUsageTemplate is cobra's usage template (v1.10) with its headings
// in Chinese.
const chineseUsageTemplate = `用法：{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [command]{{end}}{{if gt (len .Aliases) 0}}

别名：
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

示例：
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}{{$cmds := .Commands}}{{if eq (len .Groups) 0}}

可用命令：{{range $cmds}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{else}}{{range $group := .Groups}}

{{.Title}}{{range $cmds}}{{if (and (eq .GroupID $group.ID) (or .IsAvailableCommand (eq .Name "help")))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if not .AllChildCommandsHaveGroup}}

其他命令：{{range $cmds}}{{if (and (eq .GroupID "") (or .IsAvailableCommand (eq .Name "help")))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

选项：
{{chineseFlagUsages .LocalFlags}}{{end}}{{if .HasAvailableInheritedFlags}}

全局选项：
{{chineseFlagUsages .InheritedFlags}}{{end}}{{if .HasHelpSubCommands}}

其他帮助主题：{{range .Commands}}{{if .IsAdditionalHelpTopicCommand}}
  {{rpad .CommandPath .CommandPathPadding}} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableSubCommands}}

用 "{{.CommandPath}} [command] --help" 查看命令的详细说明。{{end}}
`
