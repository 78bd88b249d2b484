data "azurerm_subscription" "primary" {}

data "azuread_user" "alice" {
  user_principal_name = "alice@example.com"
}

resource "azurerm_role_assignment" "alice_owner" {
  scope                = data.azurerm_subscription.primary.id
  role_definition_name = "Owner"
  principal_id         = data.azuread_user.alice.object_id
}

resource "azurerm_role_assignment" "ops_contributor" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Contributor"
  principal_id         = "11111111-1111-1111-1111-111111111111"
  principal_type       = "Group"
}

resource "azurerm_role_assignment" "pipeline" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Contributor"
  principal_id         = "22222222-2222-2222-2222-222222222222"
  principal_type       = "ServicePrincipal"
}

resource "azurerm_role_assignment" "rg_owner" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/app"
  role_definition_name = "Owner"
  principal_id         = data.azuread_user.alice.object_id
}

resource "azurerm_role_assignment" "reader" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Reader"
  principal_id         = data.azuread_user.alice.object_id
}

resource "azurerm_role_assignment" "who" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Owner"
  principal_id         = "33333333-3333-3333-3333-333333333333"
}

resource "google_project_iam_member" "bob_owner" {
  project = "trading-prod"
  role    = "roles/owner"
  member  = "user:bob@example.com"
}

resource "google_project_iam_binding" "editors" {
  project = "trading-prod"
  role    = "roles/editor"
  members = ["group:ops@example.com", "serviceAccount:ci@trading-prod.iam.gserviceaccount.com"]
}

resource "google_project_iam_member" "viewer" {
  project = "trading-prod"
  role    = "roles/viewer"
  member  = "user:bob@example.com"
}

resource "google_project_iam_member" "sa_editor" {
  project = "trading-prod"
  role    = "roles/editor"
  member  = "serviceAccount:app@trading-prod.iam.gserviceaccount.com"
}

data "google_iam_policy" "project" {
  binding {
    role    = "roles/owner"
    members = ["user:carol@example.com"]
  }
}

resource "google_project_iam_policy" "project" {
  project     = "trading-prod"
  policy_data = data.google_iam_policy.project.policy_data
}
