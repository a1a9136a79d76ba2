package sandbox

import "github.com/linksim/linksim/flowcore"

// This file holds /user/create: the users a Multi-Item Link token is made
// for.

// UserCreateRequest is the body of /user/create; the identity fields
// Plaid's newer API takes are checked by the grammar and change nothing.
type UserCreateRequest struct {
	flowcore.Credentials
	ClientUserID string `json:"client_user_id" plaid:"required"`
}

// UserCreateResponse answers /user/create. It carries both the user_id of
// Plaid's new user API and the user_token of its older one (which plaid-go
// v20 and Multi-Item Link's user_token read).
type UserCreateResponse struct {
	UserToken string `json:"user_token"`
	UserID    string `json:"user_id"`
	Response
}

// CreateUser implements /user/create: a user_id (usr_ and 14 letters and
// digits, as Plaid's new user API makes them) and a user_token
// (user-sandbox- and a UUID). The same client_user_id gives the same user,
// as Plaid documents ("calling /user/create repeatedly with the same
// client_user_id returns the same user_id").
func (s *Sandbox) CreateUser(r *UserCreateRequest) (UserCreateResponse, *flowcore.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.store.UserByClientUserID(r.ClientUserID)
	if !ok {
		u = flowcore.User{ClientUserID: r.ClientUserID, UserID: "usr_" + s.ids.ID(14), Token: "user-sandbox-" + s.ids.UUID()}
		s.store.PutUser(u)
	}
	return UserCreateResponse{UserToken: u.Token, UserID: u.UserID}, nil
}

// errInvalidUserToken is Plaid's error for a user_token it never made.
func errInvalidUserToken() *flowcore.Error {
	return flowcore.InvalidInput("INVALID_USER_TOKEN", "", "could not find matching user token")
}
