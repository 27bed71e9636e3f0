"""The frame every area lives in: the app, the store and its pollers, login, header, key bar, notices."""
