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
	cred, token, err := s.issue(c, req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, issuedCredential{Credential: cred, Token: token})
}

// issue creates a credential and returns its token, shown once (POST
// /api/v1/credentials).
func (s *Server) issue(c *gin.Context, req issueCredentialRequest) (*survey.Credential, string, error) {
	if err := s.validate.Struct(req); err != nil {
		return nil, "", validationError(err)
	}
	if req.Role == survey.RoleRespondent {
		d, err := s.store.Department(c, req.Department)
		if survey.ErrorCode(err) == survey.ENOTFOUND || (err == nil && !d.Active) {
			return nil, "", survey.Invalid("invalid credential", survey.FieldError{Field: "department", Message: "is not an active department"})
		}
		if err != nil {
			return nil, "", err
		}
	}
	cred, token, err := survey.NewCredential(req.Role, req.Department, strings.TrimSpace(req.Label), s.now())
	if err != nil {
		return nil, "", err
	}
	if err := s.store.CreateCredential(c, cred); err != nil {
		return nil, "", err
	}
	s.audit(c, "credential.issue", "", cred.Department, map[string]any{"credential": cred.ID, "role": cred.Role})
	return cred, token, nil
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
	if err := s.revoke(c, c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// revoke revokes a credential at once on this instance (DELETE
// /api/v1/credentials/:id).
func (s *Server) revoke(c *gin.Context, id string) error {
	cred, err := s.store.RevokeCredential(c, id, s.now())
	if err != nil {
		return err
	}
	s.creds.forget(cred.Hash)
	s.audit(c, "credential.revoke", "", cred.Department, map[string]any{"credential": cred.ID})
	return nil
}
