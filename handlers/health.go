package handlers

import (
	_ "embed"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

//go:embed openapi.yaml
var openAPISpec []byte

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz says whether the service can do its work: the store must answer.
func (s *Server) readyz(c *gin.Context) {
	if err := s.store.Ping(c); err != nil {
		s.fail(c, fmt.Errorf("%w: %v", survey.ErrUnavailable, err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}

func (s *Server) openAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/yaml; charset=utf-8", openAPISpec)
}
