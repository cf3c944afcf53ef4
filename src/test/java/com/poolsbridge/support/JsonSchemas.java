package com.poolsbridge.support;

import java.io.InputStream;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** Validates a message against one of the published schemas in src/main/resources/schemas. */
public final class JsonSchemas {

    private JsonSchemas() {
    }

    public static Set<ValidationMessage> validate(String schemaFile, String json) throws Exception {
        try (InputStream in = JsonSchemas.class.getResourceAsStream("/schemas/" + schemaFile)) {
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
            return schema.validate(new ObjectMapper().readTree(json));
        }
    }
}
