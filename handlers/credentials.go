package handlers

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

type issueCredentialRequest struct {
	Role       string `json:"role" validate:"required,role"`
	Department string `json:"department" validate:"required_if=Role respondent,omitempty,deptcode"`
	Label      string `json:"label" validate:"max=200"`
}

type issuedCredential struct {
	*survey.Credential
	// Token is shown once, here, and never again.
	Token string `json:"token"`
}

func (s *Server) issueCredential(c *gin.Context) {
	var req issueCredentialRequest
	if err := s.bind(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if req.Role == survey.RoleRespondent {
		d, err := s.store.Department(c, req.Department)
		if survey.ErrorCode(err) == survey.ENOTFOUND || (err == nil && !d.Active) {
			s.fail(c, survey.Invalid("invalid credential", survey.FieldError{Field: "department", Message: "is not an active department"}))
			return
		}
		if err != nil {
			s.fail(c, err)
			return
		}
	}
	cred, token, err := survey.NewCredential(req.Role, req.Department, strings.TrimSpace(req.Label), s.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.store.CreateCredential(c, cred); err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "credential.issue", "", cred.Department, map[string]any{"credential": cred.ID, "role": cred.Role})
	c.JSON(http.StatusCreated, issuedCredential{Credential: cred, Token: token})
}

func (s *Server) listCredentials(c *gin.Context) {
	creds, err := s.store.Credentials(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"credentials": nonNil(creds)})
}

func (s *Server) revokeCredential(c *gin.Context) {
	cred, err := s.store.RevokeCredential(c, c.Param("id"), s.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.creds.forget(cred.Hash)
	s.audit(c, "credential.revoke", "", cred.Department, map[string]any{"credential": cred.ID})
	c.Status(http.StatusNoContent)
}
