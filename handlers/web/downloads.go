package web

import (
	"io"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey/assess"
)

// downloadPrefix is the pages' path of the workbooks. A browser following
// a link sends the session cookie but cannot add the X-CSRF-Token header
// the API wants with it, so the pages serve the same workbooks themselves,
// from the same use cases, which still decide who may read what.
const downloadPrefix = "/download/"

func (pg *Pages) downloadDepartment(c *gin.Context) {
	wb, err := pg.svc.DepartmentWorkbook(c, httpx.Principal(c), c.Param("round"), c.Param("dept"), c.Query("lang"))
	pg.sendWorkbook(c, wb, err)
}

func (pg *Pages) downloadTopics(c *gin.Context) {
	q := assess.TopicQuery{Domain: c.Query("domain"), Bureau: c.Query("bureau"), Theme: c.Query("theme")}
	wb, err := pg.svc.TopicsWorkbook(c, httpx.Principal(c), c.Param("round"), c.Query("lang"), q)
	pg.sendWorkbook(c, wb, err)
}

func (pg *Pages) downloadConsolidated(c *gin.Context) {
	err := pg.svc.ConsolidatedWorkbook(c, httpx.Principal(c), c.Param("round"), c.Query("lang"), func(name string) io.Writer {
		return httpx.StartDownload(c, name)
	})
	httpx.EndStream(c, err, pg.log, pg.Fail)
}

func (pg *Pages) sendWorkbook(c *gin.Context, wb *assess.Workbook, err error) {
	if err != nil {
		pg.Fail(c, err)
		return
	}
	httpx.SendDownload(c, wb)
}

// link returns a download link for a workbook path below downloadPrefix.
func (pg *Pages) link(c *gin.Context, path, labelKey string, args ...any) []downloadLink {
	return []downloadLink{{URL: downloadPrefix + path + "?lang=" + pageLang(c), Label: pg.t(c, labelKey, args...)}}
}

// departmentDownloads are the files of one department's submitted response.
func (pg *Pages) departmentDownloads(c *gin.Context, round, dept string) []downloadLink {
	return pg.link(c, "rounds/"+round+"/departments/"+dept+"/report.xlsx", "download.department", dept)
}

// roundDownloads are the files of a whole round.
func (pg *Pages) roundDownloads(c *gin.Context, round string) []downloadLink {
	var out []downloadLink
	out = append(out, pg.link(c, "rounds/"+round+"/report.xlsx", "download.round")...)
	out = append(out, pg.link(c, "rounds/"+round+"/topics.xlsx", "download.topics")...)
	return out
}
