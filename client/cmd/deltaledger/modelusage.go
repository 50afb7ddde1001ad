package main

import (
	"fmt"
	"strings"

	"github.com/deltaledger/deltaledger/model"
)

// The usages of flags whose bounds and values are the market's (package model): they are said from the model, so
// that the help follows a changed limit or enumeration. help_zh.go keys their Chinese by these same values.
var (
	pageSizeUsage = fmt.Sprintf("items per request to the gateway, 1 to %d (default the gateway's, %d)", model.MaxPageSize, model.DefaultPageSize)
	saltUsage     = fmt.Sprintf("private terms: %d-%d lowercase hex characters of salt (default: random)", model.MinSaltLength, model.MaxSaltLength)
	scoreUsage    = fmt.Sprintf("the score, 0 to %d", model.MaxCreditScore)
	summaryUsage  = fmt.Sprintf("summary, at most %d characters", model.MaxCreditSummaryLength)

	recordTypeUsage = model.OneOf(model.RecordTypes, ", ", " or ")
	answerUsage     = model.OneOf(model.Answers, ", ", " or ")
	answerValue     = strings.Join(model.Answers, "|")
	outcomeUsage    = model.OutcomeComplete + " (the sale stands) or " + model.OutcomeRefund + " (it is undone)"
	outcomeValue    = model.OutcomeComplete + "|" + model.OutcomeRefund
)
