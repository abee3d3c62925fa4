package handlers

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

type createDepartmentRequest struct {
	Code   string `json:"code" validate:"required,deptcode"`
	NameEN string `json:"name_en" validate:"notblank,max=200"`
	NameZH string `json:"name_zh" validate:"notblank,max=200"`
	Bureau string `json:"bureau" validate:"notblank,max=200"`
}

func (s *Server) createDepartment(c *gin.Context) {
	var req createDepartmentRequest
	if err := s.bind(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.addDepartment(c, req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, d)
}

// addDepartment creates a department (POST /api/v1/departments).
func (s *Server) addDepartment(c *gin.Context, req createDepartmentRequest) (*survey.Department, error) {
	if err := s.validate.Struct(req); err != nil {
		return nil, validationError(err)
	}
	now := s.now()
	d := &survey.Department{
		Code: req.Code, NameEN: strings.TrimSpace(req.NameEN), NameZH: strings.TrimSpace(req.NameZH),
		Bureau: strings.TrimSpace(req.Bureau), Active: true, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.store.CreateDepartment(c, d); err != nil {
		return nil, err
	}
	s.audit(c, "department.create", "", d.Code, nil)
	return d, nil
}

func (s *Server) listDepartments(c *gin.Context) {
	ds, err := s.store.Departments(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"departments": nonNil(ds)})
}

type updateDepartmentRequest struct {
	NameEN *string `json:"name_en" validate:"omitnil,notblank,max=200"`
	NameZH *string `json:"name_zh" validate:"omitnil,notblank,max=200"`
	Bureau *string `json:"bureau" validate:"omitnil,notblank,max=200"`
	Active *bool   `json:"active"`
}

func (s *Server) updateDepartment(c *gin.Context) {
	var req updateDepartmentRequest
	if err := s.bind(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.changeDepartment(c, c.Param("code"), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

// changeDepartment edits a department's names, bureau or active flag
// (PATCH /api/v1/departments/:code).
func (s *Server) changeDepartment(c *gin.Context, code string, req updateDepartmentRequest) (*survey.Department, error) {
	if err := s.validate.Struct(req); err != nil {
		return nil, validationError(err)
	}
	d, err := s.store.Department(c, code)
	if err != nil {
		return nil, err
	}
	changed := map[string]any{}
	set := func(field string, dst *string, v *string) {
		if v != nil && strings.TrimSpace(*v) != *dst {
			*dst = strings.TrimSpace(*v)
			changed[field] = *dst
		}
	}
	set("name_en", &d.NameEN, req.NameEN)
	set("name_zh", &d.NameZH, req.NameZH)
	set("bureau", &d.Bureau, req.Bureau)
	if req.Active != nil && *req.Active != d.Active {
		d.Active = *req.Active
		changed["active"] = d.Active
	}
	if len(changed) > 0 {
		d.UpdatedAt = s.now()
		if err := s.store.UpdateDepartment(c, d); err != nil {
			return nil, err
		}
		s.audit(c, "department.update", "", d.Code, changed)
	}
	return d, nil
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
