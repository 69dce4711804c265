// snn_act: an activation and its derivative for a saturated pre-activation z (format
// fixed<W, F>), registered (latency 1, moving when `en` is high).
//   KIND 0, sigmoid: value and derivative from one table of {value, derivative} words,
//                    index clamp((z + OFFSET) >>> IDX_SHIFT, 0, ENTRIES - 1);
//   KIND 1, relu:    max(z, 0) and (z > 0 ? ONE : 0);
//   KIND 2, identity: z and ONE.
`default_nettype none
module snn_act #(
    parameter W         = 10,
    parameter KIND      = 0,
    parameter ONE       = 128,
    parameter OFFSET    = 512,         // R * 2^F: the raw value of the table's lower end, negated
    parameter IDX_SHIFT = 0,
    parameter ENTRIES   = 1024,
    parameter IDX_W     = 10,
    parameter TABLE     = "",
    /* verilator lint_off UNUSEDPARAM */
    parameter TABLE_STYLE = "logic"     // the table's storage: "block" or "logic"
    /* verilator lint_on UNUSEDPARAM */
) (
    input  wire                clk,
    input  wire                en,
    input  wire signed [W-1:0] z,
    output wire signed [W-1:0] value,
    output wire signed [W-1:0] derivative
);
    generate
        if (KIND == 0) begin : sigmoid
            localparam XW = (W > 32 ? W : 32) + 2;
            // Signed throughout, so that the shift is arithmetic below the table's range.
            wire signed [XW-1:0] z_ext = {{(XW - W){z[W-1]}}, z};
            wire signed [XW-1:0] shifted = (z_ext + OFFSET) >>> IDX_SHIFT;
            wire [IDX_W-1:0] index = shifted < 0 ? {IDX_W{1'b0}}
                : shifted > ENTRIES - 1 ? ENTRIES[IDX_W-1:0] - 1'b1
                : shifted[IDX_W-1:0];
            wire [2*W-1:0] entry;
            snn_rom #(.WIDTH(2 * W), .DEPTH(ENTRIES), .ADDR(IDX_W), .INIT(TABLE), .STYLE(TABLE_STYLE)) table_rom (
                .clk(clk), .en(en), .addr(index), .data(entry)
            );
            assign value = entry[2*W-1:W];
            assign derivative = entry[W-1:0];
        end else begin : piecewise
            reg signed [W-1:0] v, d;
            initial begin
                v = {W{1'b0}};
                d = {W{1'b0}};
            end
            always @(posedge clk) begin
                if (!en) begin
                end else if (KIND == 1) begin
                    v <= z[W-1] ? {W{1'b0}} : z;
                    d <= (!z[W-1] && z != 0) ? ONE[W-1:0] : {W{1'b0}};
                end else begin
                    v <= z;
                    d <= ONE[W-1:0];
                end
            end
            assign value = v;
            assign derivative = d;
        end
    endgenerate
endmodule
`default_nettype wire
