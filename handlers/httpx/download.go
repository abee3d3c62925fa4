package httpx

import (
	"io"
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
