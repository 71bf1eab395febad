// The user calls' request and response shapes (see methods.ts).

export type { AddUserRequest } from '../../proto/generated/quorumq/v1/AddUserRequest.js';
export type { AddUserResponse__Output } from '../../proto/generated/quorumq/v1/AddUserResponse.js';
export type { RemoveUserRequest } from '../../proto/generated/quorumq/v1/RemoveUserRequest.js';
export type { RemoveUserResponse__Output } from '../../proto/generated/quorumq/v1/RemoveUserResponse.js';
export type { ListUsersRequest } from '../../proto/generated/quorumq/v1/ListUsersRequest.js';
export type { ListUsersResponse__Output } from '../../proto/generated/quorumq/v1/ListUsersResponse.js';
export type { SetPermissionsRequest } from '../../proto/generated/quorumq/v1/SetPermissionsRequest.js';
export type { SetPermissionsResponse__Output } from '../../proto/generated/quorumq/v1/SetPermissionsResponse.js';
export type { RotateTokenRequest } from '../../proto/generated/quorumq/v1/RotateTokenRequest.js';
export type { RotateTokenResponse__Output } from '../../proto/generated/quorumq/v1/RotateTokenResponse.js';
export type { WhoAmIRequest } from '../../proto/generated/quorumq/v1/WhoAmIRequest.js';
export type { WhoAmIResponse__Output } from '../../proto/generated/quorumq/v1/WhoAmIResponse.js';
