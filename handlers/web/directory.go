package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// departmentForm is the create and edit form of a department.
type departmentForm struct {
	Code   string `form:"code"`
	NameEN string `form:"name_en"`
	NameZH string `form:"name_zh"`
	Bureau string `form:"bureau"`
	Active string `form:"active"`
	// Version is the department's version the form showed.
	Version string `form:"version"`
}

type departmentsPage struct {
	page
	Departments []survey.Department
	Form        departmentForm
	Errors      formErrors
	// BureauChoices are the bureau field's options (a text field when nil).
	BureauChoices []choice
	names         survey.BureauNames
}

// BureauName is a department's bureau in the page's language.
func (p *departmentsPage) BureauName(value string) string { return p.names.Name(value, p.Lang) }

// adminDepartments lists departments with the create form.
func (pg *Pages) adminDepartments(c *gin.Context) {
	pg.renderDepartments(c, http.StatusOK, departmentForm{}, nil)
}

func (pg *Pages) renderDepartments(c *gin.Context, status int, form departmentForm, errs formErrors) {
	ds, err := pg.svc.Departments(c, httpx.Principal(c))
	if err != nil {
		pg.Fail(c, err)
		return
	}
	bs := pg.listedBureaux(c)
	data := &departmentsPage{page: pg.newPage(c, "departments.title"), Departments: ds, Form: form, Errors: errs,
		BureauChoices: pg.bureauChoices(c, bs, form.Bureau), names: survey.NewBureauNames(bs)}
	data.Nav = "departments"
	pg.render(c, status, "departments", data)
}

func (pg *Pages) createDepartment(c *gin.Context) {
	var f departmentForm
	if err := bindForm(c, &f); err != nil {
		pg.Fail(c, err)
		return
	}
	f.Code = strings.ToUpper(strings.TrimSpace(f.Code))
	_, err := pg.svc.CreateDepartment(c, httpx.Principal(c), assess.NewDepartment{Code: f.Code, NameEN: f.NameEN, NameZH: f.NameZH, Bureau: f.Bureau})
	if err == nil {
		redirect(c, "/admin/departments?flash=department-created")
		return
	}
	errs := formErrors{}
	if pg.formError(c, err, errs, map[string]string{"code": "departments.exists"}) {
		pg.renderDepartments(c, http.StatusUnprocessableEntity, f, errs)
	}
}

type departmentPage struct {
	page
	Code   string
	Form   departmentForm
	Errors formErrors
	// BureauChoices are the bureau field's options (a text field when nil).
	BureauChoices []choice
}

// editDepartment shows one department's edit form.
func (pg *Pages) editDepartment(c *gin.Context) {
	d, err := pg.svc.Department(c, httpx.Principal(c), c.Param("code"))
	if err != nil {
		pg.Fail(c, err)
		return
	}
	active := "false"
	if d.Active {
		active = "true"
	}
	pg.renderDepartment(c, http.StatusOK, d.Code, departmentForm{Code: d.Code, NameEN: d.NameEN, NameZH: d.NameZH, Bureau: d.Bureau, Active: active, Version: strconv.Itoa(d.Version)}, nil)
}

func (pg *Pages) renderDepartment(c *gin.Context, status int, code string, form departmentForm, errs formErrors) {
	data := &departmentPage{page: pg.newPage(c, "department.title", code), Code: code, Form: form, Errors: errs,
		BureauChoices: pg.bureauChoices(c, pg.listedBureaux(c), form.Bureau)}
	data.Nav = "departments"
	pg.render(c, status, "department", data)
}

// updateDepartment saves the edit form; a form with only "active" (the
// list's activate/deactivate buttons) changes only that.
func (pg *Pages) updateDepartment(c *gin.Context) {
	var f departmentForm
	if err := bindForm(c, &f); err != nil {
		pg.Fail(c, err)
		return
	}
	form := c.Request.PostForm
	req := survey.DepartmentChange{}
	for name, dst := range map[string]**string{"name_en": &req.NameEN, "name_zh": &req.NameZH, "bureau": &req.Bureau} {
		if _, ok := form[name]; ok {
			v := form.Get(name)
			*dst = &v
		}
	}
	switch f.Active {
	case "true", "false":
		active := f.Active == "true"
		req.Active = &active
	case "":
	default:
		pg.Fail(c, survey.Invalid("invalid department", survey.Fault("active", survey.RuleOneOf, "true false")))
		return
	}
	code := c.Param("code")
	if _, err := pg.svc.ChangeDepartment(c, httpx.Principal(c), code, req, formVersion(f.Version)); err != nil {
		if survey.ErrorCode(err) == survey.EPRECONDITION {
			redirect(c, "/admin/departments/"+code+"?flash=changed-meanwhile")
			return
		}
		errs := formErrors{}
		if pg.formError(c, err, errs, nil) {
			f.Code = code
			pg.renderDepartment(c, http.StatusUnprocessableEntity, code, f, errs)
		}
		return
	}
	redirect(c, "/admin/departments?flash=department-saved")
}

// credentialForm is the issue form of a credential.
type credentialForm struct {
	Role       string `form:"role"`
	Department string `form:"department"`
	Label      string `form:"label"`
}

type credentialsPage struct {
	page
	Credentials []survey.Credential
	Departments []survey.Department
	Form        credentialForm
	Errors      formErrors
	Roles       []string
	// Issued is set once, on the page that shows a new token.
	Issued *survey.Credential
	Token  string
}

// adminCredentials lists credentials (never a token) with the issue form.
func (pg *Pages) adminCredentials(c *gin.Context) {
	pg.renderCredentials(c, http.StatusOK, credentialForm{Role: survey.RoleRespondent}, nil)
}

func (pg *Pages) renderCredentials(c *gin.Context, status int, form credentialForm, errs formErrors) {
	creds, err := pg.svc.Credentials(c, httpx.Principal(c))
	if err != nil {
		pg.Fail(c, err)
		return
	}
	active, err := pg.activeDepartments(c)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	data := &credentialsPage{page: pg.newPage(c, "credentials.title"), Credentials: creds, Departments: active, Form: form, Errors: errs,
		Roles: []string{survey.RoleRespondent, survey.RolePlanner, survey.RoleAdmin}}
	data.Nav = "credentials"
	pg.render(c, status, "credentials", data)
}

// issueCredential issues a credential and sends the browser to the page
// that shows its token this once (token.go).
func (pg *Pages) issueCredential(c *gin.Context) {
	var f credentialForm
	if err := bindForm(c, &f); err != nil {
		pg.Fail(c, err)
		return
	}
	if f.Role != survey.RoleRespondent {
		f.Department = "" // the department list only applies to respondents
	}
	issued, err := pg.svc.IssueCredential(c, httpx.Principal(c), assess.NewCredential{Role: f.Role, Department: f.Department, Label: f.Label})
	if err != nil {
		errs := formErrors{}
		if pg.formError(c, err, errs, nil) {
			pg.renderCredentials(c, http.StatusUnprocessableEntity, f, errs)
		}
		return
	}
	pg.handOver(c, issued.Credential.ID, issued.Token)
	redirect(c, issuedURL(issued.Credential.ID))
}

func (pg *Pages) revokeCredential(c *gin.Context) {
	if err := pg.svc.RevokeCredential(c, httpx.Principal(c), c.Param("id")); err != nil {
		pg.Fail(c, err)
		return
	}
	redirect(c, "/admin/credentials?flash=credential-revoked")
}

// activeDepartments are the departments a credential or a user may be
// issued for: the active ones.
func (pg *Pages) activeDepartments(c *gin.Context) ([]survey.Department, error) {
	ds, err := pg.svc.Departments(c, httpx.Principal(c))
	if err != nil {
		return nil, err
	}
	// A copy: the list may be shared with the store's cache.
	return slices.DeleteFunc(slices.Clone(ds), func(d survey.Department) bool { return !d.Active }), nil
}
