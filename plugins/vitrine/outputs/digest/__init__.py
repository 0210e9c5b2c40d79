"""The digest (infolettre): issues, what each holds, the e-mail."""
