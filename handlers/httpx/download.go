package httpx

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey/assess"
)

// XLSXType is the content type of workbooks.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// StartDownload names a streamed workbook download and returns where to
// write it. Until the first byte is written the status can still become an
// error.
func StartDownload(c *gin.Context, name string) io.Writer {
	c.Header("Content-Type", XLSXType)
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	return c.Writer
}

// AbandonDownload takes back the headers StartDownload set, when the
// workbook failed before its first byte, so the error that follows is not
// saved as a spreadsheet.
func AbandonDownload(c *gin.Context) {
	c.Writer.Header().Del("Content-Type")
	c.Writer.Header().Del("Content-Disposition")
}

// SendDownload answers with a finished workbook.
func SendDownload(c *gin.Context, wb *assess.Workbook) {
	c.Header("Content-Disposition", `attachment; filename="`+wb.Name+`"`)
	c.Data(http.StatusOK, XLSXType, wb.Data)
}

// EndStream finishes a streamed workbook that failed: before its first byte
// the error is still answered (by fail, the side's own error answer);
// after, the status is gone and it can only be logged — as a client that
// went away when the request was cancelled, as a fault otherwise.
func EndStream(c *gin.Context, err error, log *slog.Logger, fail func(*gin.Context, error)) {
	switch {
	case err == nil:
	case !c.Writer.Written():
		AbandonDownload(c)
		fail(c, err)
	case errors.Is(err, context.Canceled):
		log.InfoContext(c.Request.Context(), "workbook download cancelled by the client", slog.String("request_id", RequestID(c)))
	default:
		log.ErrorContext(c.Request.Context(), "workbook failed mid-stream", slog.String("request_id", RequestID(c)), slog.Any("error", err))
	}
}
