package main

import (
	"context"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// demoUsers are the named demonstration people: fictional, at .example
// addresses (RFC 2606), so no invitation can reach anyone.
var demoUsers = []assess.NewUser{
	{Name: "Ada Chan", Email: "ada.chan@dpo.example", Role: survey.RoleAdmin},
	{Name: "Ben Wong", Email: "ben.wong@lab.example", Role: survey.RoleRespondent, Department: "DEMO-LAB"},
	{Name: "Carmen Lee", Email: "carmen.lee@lab.example", Role: survey.RoleRespondent, Department: "DEMO-LAB", Approver: true},
	{Name: "Daniel Ho", Email: "daniel.ho@csc.example", Role: survey.RolePlanner},
}

// seedDemoUsers invites the demonstration people; with no SMTP server
// their invitations wait in the outbox, where the demo shows them.
func seedDemoUsers(ctx context.Context, svc *assess.Service) error {
	seeder := survey.Principal{CredentialID: "demo", Role: survey.RoleAdmin, Label: "demo seed"}
	for _, u := range demoUsers {
		if _, err := svc.InviteUser(ctx, seeder, u); err != nil {
			return err
		}
	}
	return nil
}
