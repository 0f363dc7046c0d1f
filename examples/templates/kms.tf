# A Terraform key shared with a partner account that is given as a variable.
# keywarden scan examples/templates/kms.tf --parameter partner_account=444455556666

variable "partner_account" {
  type        = string
  description = "the partner's AWS account id"
}

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "exports" {
  description         = "exports shared with the partner"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Enable IAM User Permissions"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "PartnerDecrypt"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${var.partner_account}:root" }
        Action    = ["kms:Decrypt", "kms:DescribeKey"]
        Resource  = "*"
      },
    ]
  })
}

resource "aws_kms_alias" "exports" {
  name          = "alias/exports"
  target_key_id = aws_kms_key.exports.key_id
}

resource "aws_iam_role" "exporter" {
  name = "exporter"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "exporter_kms" {
  name = "encrypt-exports"
  role = aws_iam_role.exporter.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["kms:Encrypt", "kms:GenerateDataKey"], Resource = aws_kms_key.exports.arn }]
  })
}
