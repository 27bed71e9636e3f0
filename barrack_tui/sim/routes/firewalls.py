"""Routes: firewalls."""

from fastapi import APIRouter

router = APIRouter()
