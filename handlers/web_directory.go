package handlers

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

// departmentForm is the create and edit form of a department.
type departmentForm struct {
	Code   string `form:"code"`
	NameEN string `form:"name_en"`
	NameZH string `form:"name_zh"`
	Bureau string `form:"bureau"`
	Active string `form:"active"`
}

type departmentsPage struct {
	page
	Departments []survey.Department
	Form        departmentForm
	Errors      formErrors
}

// adminDepartments lists departments with the create form.
func (w *web) adminDepartments(c *gin.Context) {
	w.renderDepartments(c, http.StatusOK, departmentForm{}, nil)
}

func (w *web) renderDepartments(c *gin.Context, status int, form departmentForm, errs formErrors) {
	ds, err := w.s.store.Departments(c)
	if err != nil {
		w.fail(c, err)
		return
	}
	data := &departmentsPage{page: w.newPage(c, "departments.title"), Departments: ds, Form: form, Errors: errs}
	data.Nav = "departments"
	w.render(c, status, "departments", data)
}

func (w *web) createDepartment(c *gin.Context) {
	var f departmentForm
	if err := bindForm(c, &f); err != nil {
		w.fail(c, err)
		return
	}
	f.Code = strings.ToUpper(strings.TrimSpace(f.Code))
	_, err := w.s.addDepartment(c, createDepartmentRequest{Code: f.Code, NameEN: f.NameEN, NameZH: f.NameZH, Bureau: f.Bureau})
	if err == nil {
		redirect(c, "/admin/departments?flash=department-created")
		return
	}
	errs := formErrors{}
	if w.formError(c, err, errs, map[string]string{"code": "departments.exists"}) {
		w.renderDepartments(c, http.StatusUnprocessableEntity, f, errs)
	}
}

type departmentPage struct {
	page
	Code   string
	Form   departmentForm
	Errors formErrors
}

// editDepartment shows one department's edit form.
func (w *web) editDepartment(c *gin.Context) {
	d, err := w.s.store.Department(c, c.Param("code"))
	if err != nil {
		w.fail(c, err)
		return
	}
	active := "false"
	if d.Active {
		active = "true"
	}
	w.renderDepartment(c, http.StatusOK, d.Code, departmentForm{Code: d.Code, NameEN: d.NameEN, NameZH: d.NameZH, Bureau: d.Bureau, Active: active}, nil)
}

func (w *web) renderDepartment(c *gin.Context, status int, code string, form departmentForm, errs formErrors) {
	data := &departmentPage{page: w.newPage(c, "department.title", code), Code: code, Form: form, Errors: errs}
	data.Nav = "departments"
	w.render(c, status, "department", data)
}

// updateDepartment saves the edit form; a form with only "active" (the
// list's activate/deactivate buttons) changes only that.
func (w *web) updateDepartment(c *gin.Context) {
	var f departmentForm
	if err := bindForm(c, &f); err != nil {
		w.fail(c, err)
		return
	}
	form := c.Request.PostForm
	req := updateDepartmentRequest{}
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
		w.fail(c, survey.Invalid("invalid department", survey.FieldError{Field: "active", Message: "must be true or false"}))
		return
	}
	code := c.Param("code")
	if _, err := w.s.changeDepartment(c, code, req); err != nil {
		errs := formErrors{}
		if w.formError(c, err, errs, nil) {
			f.Code = code
			w.renderDepartment(c, http.StatusUnprocessableEntity, code, f, errs)
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
func (w *web) adminCredentials(c *gin.Context) {
	w.renderCredentials(c, http.StatusOK, credentialForm{Role: survey.RoleRespondent}, nil)
}

func (w *web) renderCredentials(c *gin.Context, status int, form credentialForm, errs formErrors) {
	creds, err := w.s.store.Credentials(c)
	if err != nil {
		w.fail(c, err)
		return
	}
	ds, err := w.s.store.Departments(c)
	if err != nil {
		w.fail(c, err)
		return
	}
	active := ds[:0:0]
	for _, d := range ds {
		if d.Active {
			active = append(active, d)
		}
	}
	data := &credentialsPage{page: w.newPage(c, "credentials.title"), Credentials: creds, Departments: active, Form: form, Errors: errs,
		Roles: []string{survey.RoleRespondent, survey.RolePlanner, survey.RoleAdmin}}
	data.Nav = "credentials"
	w.render(c, status, "credentials", data)
}

// issueCredential issues a credential and shows its token this once.
func (w *web) issueCredential(c *gin.Context) {
	var f credentialForm
	if err := bindForm(c, &f); err != nil {
		w.fail(c, err)
		return
	}
	if f.Role != survey.RoleRespondent {
		f.Department = "" // the department list only applies to respondents
	}
	cred, token, err := w.s.issue(c, issueCredentialRequest{Role: f.Role, Department: f.Department, Label: f.Label})
	if err != nil {
		errs := formErrors{}
		if w.formError(c, err, errs, nil) {
			w.renderCredentials(c, http.StatusUnprocessableEntity, f, errs)
		}
		return
	}
	data := &credentialsPage{page: w.newPage(c, "token.title"), Issued: cred, Token: token}
	data.Nav = "credentials"
	w.render(c, http.StatusOK, "token", data)
}

func (w *web) revokeCredential(c *gin.Context) {
	if err := w.s.revoke(c, c.Param("id")); err != nil {
		w.fail(c, err)
		return
	}
	redirect(c, "/admin/credentials?flash=credential-revoked")
}
